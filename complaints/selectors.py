"""Reads of casework for pages, tables and the CSV export.

Lists are one query per page whatever its size: related rows come by select_related, the
current decision by a filtered LEFT JOIN (at most one current decision per complaint), and
"overdue" by an EXISTS on the recommendations. Counting is a plain COUNT on the same filter,
without the joins the rows need.

A recommendation is *awaiting compliance* while its case is in remedy monitoring, its
decision is current and neither it nor the case has a compliance outcome; it is *overdue* once its due date
has passed. The case list's overdue filter, its "Overdue" tag and the remedy monitoring queue
all use this one definition.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone

from complaints.models import (
    PRE_DECISION_STATUSES,
    Category,
    Complaint,
    ComplianceOutcome,
    Decision,
    Recommendation,
    Status,
)
from complaints.references import normalise_reference
from ombudsman.periods import ReviewPeriod
from ombudsman.roles import Role

DUE_SOON_DAYS = 14
REFERENCE_PREFIX_RE = re.compile(r"^[\d ]+$")
WORD_RE = re.compile(r"\w+")
# A UK postcode (outward code, then inward code), anywhere in an address.
POSTCODE_RE = re.compile(r"\b(GIR|[A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b", re.IGNORECASE | re.ASCII)


def awaiting_compliance(queryset: QuerySet[Recommendation] | None = None) -> QuerySet[Recommendation]:
    queryset = Recommendation.objects.all() if queryset is None else queryset
    return queryset.filter(
        decision__is_current=True,
        decision__complaint__status=Status.REMEDY_MONITORING,
        decision__compliance__isnull=True,
        compliance_outcome="",
    )


def _overdue(today: datetime.date) -> Exists:
    """The outer complaint has a recommendation awaiting compliance whose due date has passed.
    The status condition sits inside the subquery so that, whether PostgreSQL runs it per row
    or once for all rows (a hashed subplan), it starts from the few cases in remedy monitoring."""
    return Exists(awaiting_compliance().filter(decision__complaint=OuterRef("pk"), due_on__lt=today))


def _current_decision() -> QuerySet[Decision]:
    return Decision.objects.filter(complaint=OuterRef("pk"), is_current=True)


def complaint_list(today: datetime.date | None = None) -> QuerySet[Complaint]:
    """Every complaint with what the case list shows: council, categories, caseworker, current
    decision (decision_date, decision_outcome, decision_upheld_kind) and is_overdue.

    The decision columns are subqueries on the one-current-decision index: PostgreSQL works
    them out only for the rows of the page, and COUNT(*) leaves them out altogether."""
    today = today or timezone.localdate()
    current = _current_decision()
    return (
        Complaint.objects.select_related("council", "category", "subcategory", "assigned_to")
        .annotate(
            decision_date=Subquery(current.values("decided_on")[:1]),
            decision_outcome=Subquery(current.values("outcome")[:1]),
            decision_upheld_kind=Subquery(current.values("upheld_kind")[:1]),
            is_overdue=_overdue(today),
        )
        .order_by("-received_on", "-reference")
    )


def complaints_overdue(queryset: QuerySet[Complaint], today: datetime.date | None = None) -> QuerySet[Complaint]:
    today = today or timezone.localdate()
    # The same rule as _overdue, written so that PostgreSQL starts from the status index.
    overdue = Recommendation.objects.filter(
        decision__complaint=OuterRef("pk"),
        decision__is_current=True,
        decision__compliance__isnull=True,
        compliance_outcome="",
        due_on__lt=today,
    )
    return queryset.filter(status=Status.REMEDY_MONITORING).filter(Exists(overdue))


def complaints_by_decision(
    queryset: QuerySet[Complaint],
    *,
    outcome: str | None = None,
    period: ReviewPeriod | None = None,
    undecided: bool = False,
) -> QuerySet[Complaint]:
    """Cases whose current decision has this outcome and/or falls in the review year (1 April to
    31 March), in one EXISTS; undecided=True: cases with no current decision."""
    if undecided:
        return queryset.none() if period else queryset.filter(~Exists(_current_decision()))
    decided = _current_decision()
    if outcome:
        decided = decided.filter(outcome=outcome)
    if period:
        decided = decided.filter(decided_on__gte=period.start, decided_on__lt=period.end_exclusive)
        # A decision is never before the complaint was received (a database rule), so only cases
        # received by the end of the year can match: saying so lets the list's index scan skip
        # every later case instead of reading them all in search of a match.
        queryset = queryset.filter(received_on__lte=period.end)
    return queryset.filter(Exists(decided))


def complaints_in_periods(periods) -> QuerySet[Complaint]:
    """Complaints received, or decided, in the span of these review years (ReviewPeriods)."""
    periods = list(periods)
    span = (min(periods).start, max(periods).end)
    decided = Decision.objects.filter(decided_on__range=span).values("complaint_id")
    return Complaint.objects.filter(Q(received_on__range=span) | Q(pk__in=decided))


def reference_prefix(text: str) -> str | None:
    """'19 012 345' -> itself; '19012' -> '19 012'; None when the text is not digits and spaces."""
    text = text.strip()
    if not text or not REFERENCE_PREFIX_RE.match(text):
        return None
    if full := normalise_reference(text):
        return full
    digits = text.replace(" ", "")
    if len(digits) > 8:
        return None
    return " ".join(part for part in (digits[:2], digits[2:5], digits[5:8]) if part)


def name_search_query(text: str) -> SearchQuery | None:
    """Every word of `text` as a prefix ("smi" finds Smith), for the complainant name index."""
    words = [word.lower() for word in WORD_RE.findall(text)]
    if not words:
        return None
    # Words are \w+ only, so quoting them makes a safe tsquery.
    raw = " & ".join(f"'{word}':*" for word in words)
    return SearchQuery(raw, search_type="raw", config="simple")


def complaints_search(queryset: QuerySet[Complaint], text: str) -> QuerySet[Complaint]:
    """A reference (or the start of one) matches references; anything else, complainant names.
    Uses the reference prefix index and the GIN index on the name (same expression)."""
    prefix = reference_prefix(text)
    if prefix is not None:
        return queryset.filter(reference__startswith=prefix)
    query = name_search_query(text)
    if query is None:
        return queryset.none()
    return queryset.alias(name_vector=SearchVector("complainant_name", config="simple")).filter(name_vector=query)


def caseworkers() -> QuerySet:
    """Active users who may be assigned cases: caseworkers, managers and administrators."""
    User = get_user_model()
    staff = Q(groups__name__in=[Role.CASEWORKER, Role.MANAGER]) | Q(is_superuser=True)
    ids = User.objects.filter(staff).values("pk")
    return User.objects.filter(is_active=True, pk__in=ids).order_by("first_name", "last_name", "email")


def category_groups(*, active_only: bool = False) -> list[tuple[Category, list[Category]]]:
    """Top-level categories with their sub-categories, in order, from one query."""
    categories = Category.objects.order_by("position", "name")
    if active_only:
        categories = categories.filter(is_active=True)
    tops: dict[int, tuple[Category, list[Category]]] = {}
    subs: list[Category] = []
    for category in categories:
        if category.parent_id is None:
            tops[category.pk] = (category, [])
        else:
            subs.append(category)
    for sub in subs:
        if sub.parent_id in tops:
            sub.parent = tops[sub.parent_id][0]
            tops[sub.parent_id][1].append(sub)
    return list(tops.values())


@dataclass
class CaseFile:
    """Everything the case page shows about one complaint."""

    complaint: Complaint
    decision: Decision | None
    recommendations: list[Recommendation]
    compliance: ComplianceOutcome | None
    earlier_decisions: list[Decision]


def case_detail(pk: int) -> Complaint:
    return Complaint.objects.select_related(
        "council", "received_against", "category", "subcategory", "assigned_to", "created_by"
    ).get(pk=pk)


def open_cases(council) -> QuerySet[Complaint]:
    """The council's cases not yet decided: what a transfer to its successor moves."""
    return Complaint.objects.filter(council=council, status__in=PRE_DECISION_STATUSES)


def cases_to_place(council) -> QuerySet[Complaint]:
    """The council's open cases as the transfer page lists them, oldest first (on the index
    complaint_council_received)."""
    return (
        open_cases(council)
        .select_related("category")
        .only("pk", "reference", "received_on", "status", "complainant_address", "category__name")
        .order_by("received_on", "reference")
    )


def postcode_district(address: str) -> str:
    """The postcode district (the outward code, 'NN16') of the last postcode in an address, or ''."""
    found = POSTCODE_RE.findall(address or "")
    return found[-1][0].upper() if found else ""


def case_file(complaint: Complaint) -> CaseFile:
    """The complaint's decisions (current first), its recommendations and compliance: two queries."""
    decisions = list(
        Decision.objects.filter(complaint=complaint)
        .select_related("decided_by", "compliance", "compliance__recorded_by")
        .order_by("-is_current", "-created_at")
    )
    current = decisions[0] if decisions and decisions[0].is_current else None
    recommendations = []
    if current:
        # Prefetched, so the page's blockers (recommendations.exists()) read them without a query.
        prefetch_related_objects(
            [current], Prefetch("recommendations", queryset=Recommendation.objects.order_by("due_on", "pk"))
        )
        recommendations = list(current.recommendations.all())
    for decision in decisions:
        decision.complaint = complaint
    return CaseFile(
        complaint=complaint,
        decision=current,
        recommendations=recommendations,
        compliance=getattr(current, "compliance", None) if current else None,
        earlier_decisions=[decision for decision in decisions if not decision.is_current],
    )


def remedy_queue(today: datetime.date | None = None) -> QuerySet[Recommendation]:
    """Recommendations awaiting compliance that are overdue or due within DUE_SOON_DAYS, by council."""
    today = today or timezone.localdate()
    return (
        awaiting_compliance()
        .filter(due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .select_related("decision__complaint__council", "decision__complaint__assigned_to")
        .order_by("decision__complaint__council__sort_name", "due_on", "pk")
    )


def remedy_queue_counts(queryset: QuerySet[Recommendation], today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    return queryset.order_by().aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)), due_soon=Count("pk", filter=Q(due_on__gte=today))
    )


EXPORT_COLUMNS = [
    ("reference", "reference"),
    ("council_gss_code", "council__gss_code"),
    ("council", "council__formal_name"),
    ("authority_type", "council__authority_type"),
    ("received_on", "received_on"),
    ("category", "category__name"),
    ("subcategory", "subcategory__name"),
    ("status", "status"),
    ("assigned_to", "assigned_to__email"),
    ("complainant_name", "complainant_name"),
    ("complainant_email", "complainant_email"),
    ("complainant_phone", "complainant_phone"),
    ("complainant_address", "complainant_address"),
    ("summary", "summary"),
    ("decided_on", "current_decision__decided_on"),
    ("outcome", "current_decision__outcome"),
    ("upheld_kind", "current_decision__upheld_kind"),
    ("decision_form", "current_decision__form"),
    ("decision_summary", "current_decision__summary"),
    ("compliance_outcome", "current_decision__compliance__outcome"),
    ("compliance_recorded_on", "current_decision__compliance__recorded_on"),
]
# Personal data (complainants', and the caseworker's address): only in a manager's export with a reason.
EXPORT_PERSONAL_COLUMNS = frozenset(
    {
        "assigned_to",
        "complainant_name",
        "complainant_email",
        "complainant_phone",
        "complainant_address",
        "summary",
        "decision_summary",
    }
)


def export_columns(*, personal: bool) -> list[tuple[str, str]]:
    return [column for column in EXPORT_COLUMNS if personal or column[0] not in EXPORT_PERSONAL_COLUMNS]


def export_header(*, personal: bool) -> list[str]:
    return [name for name, _ in export_columns(personal=personal)]


def export_people_count(queryset: QuerySet[Complaint]) -> int:
    """How many people's names and contact details an export of these cases holds: one per
    distinct set of complainant details (the same person on two cases counts once), none for a
    case without any."""
    details = ("complainant_name", "complainant_email", "complainant_phone", "complainant_address")
    return queryset.exclude(**dict.fromkeys(details, "")).order_by().values_list(*details).distinct().count()


def complaint_export_rows(queryset: QuerySet[Complaint], *, personal: bool, chunk_size: int = 2000):
    """Rows for the CSV export of a filtered case list, streamed from a server-side cursor.

    The rows are read inside a transaction: outside one, Django declares the cursor WITH HOLD
    and PostgreSQL computes the whole result before the first row. `cursor_tuple_fraction = 1`
    asks for the plan that is cheapest for reading every row (hash joins and one sort), not
    the default one tuned for the first 10% (a nested loop per row: several times slower)."""
    # One LEFT JOIN to the current decision suits reading every row (a subquery per row would not).
    joined = queryset.annotate(current_decision=FilteredRelation("decisions", condition=Q(decisions__is_current=True)))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
        paths = [path for _, path in export_columns(personal=personal)]
        yield from joined.values_list(*paths).iterator(chunk_size=chunk_size)
