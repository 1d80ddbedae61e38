"""The annexes: the case-by-case lists behind a year's letter, for the council to download.

Read from the casework when downloaded: complaints received in the year, decisions made in the
year (current decisions, by decision date) and compliance outcomes recorded in the year. They
never include the complainant's personal data or the free-text summaries (which can name
people): reference, dates, categories, outcomes, remedy types, amounts and due dates only. One
query each, streamed from a server-side cursor.

Each lists the cases by the council they count for in the letter's figures (DOMAIN.md
"Reorganisation": reviews.statistics.counts.counting_for), not by the case's own council: a
decision dated after a council's abolition is its successor's, and a complaint is received by
the council it was received against (`received_against`, else its council).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import FilteredRelation, Max, Min, Q, Sum
from django.db.models.functions import Coalesce

from complaints.models import (
    Complaint,
    ComplianceOutcome,
    ComplianceResult,
    Decision,
    DecisionForm,
    Outcome,
    RecommendationType,
    Status,
    UpheldKind,
)
from ombudsman.periods import ReviewPeriod
from reviews.models import DownloadKind
from reviews.statistics.counts import counting_for

CHUNK = 2000
LABELS = {
    **dict(Status.choices),
    **dict(Outcome.choices),
    **dict(UpheldKind.choices),
    **dict(DecisionForm.choices),
    **dict(ComplianceResult.choices),
}
REMEDY_LABELS = dict(RecommendationType.choices)


def _label(value: str | None) -> str:
    return LABELS.get(value, value or "")


def _remedies(codes: str | None) -> str:
    return "; ".join(REMEDY_LABELS.get(code, code) for code in codes.split(";")) if codes else ""


def _remedy_columns(prefix: str = "") -> dict:
    """Per decision: the kinds of remedy recommended, the financial redress in total and the due dates."""
    return {
        "remedy_types": StringAgg(
            f"{prefix}recommendations__type", delimiter=";", distinct=True, order_by=f"{prefix}recommendations__type"
        ),
        "financial_redress_total": Sum(f"{prefix}recommendations__amount"),
        "first_due_on": Min(f"{prefix}recommendations__due_on"),
        "last_due_on": Max(f"{prefix}recommendations__due_on"),
    }


RECEIVED_HEADER = ["reference", "received_on", "category", "subcategory", "status", "decided_on", "outcome"]


def received_rows(council_id: int, period: ReviewPeriod) -> Iterator[tuple]:
    received = Complaint.objects.filter(received_on__gte=period.start, received_on__lte=period.end).annotate(
        received_by=Coalesce("received_against_id", "council_id")
    )
    rows = (
        counting_for(received, council_id, "received_on", "received_by")
        # One LEFT JOIN to the current decision (at most one per complaint).
        .annotate(current=FilteredRelation("decisions", condition=Q(decisions__is_current=True)))
        .values_list(
            "reference",
            "received_on",
            "category__name",
            "subcategory__name",
            "status",
            "current__decided_on",
            "current__outcome",
        )
        .order_by("received_on", "reference")
    )
    for reference, received_on, category, subcategory, status, decided_on, outcome in rows.iterator(chunk_size=CHUNK):
        yield reference, received_on, category, subcategory, _label(status), decided_on, _label(outcome)


DECIDED_HEADER = [
    "reference",
    "received_on",
    "category",
    "subcategory",
    "decided_on",
    "outcome",
    "upheld_kind",
    "decision_form",
    "remedy_types",
    "financial_redress_total",
    "first_due_on",
    "last_due_on",
    "compliance_outcome",
    "compliance_recorded_on",
]


def decided_rows(council_id: int, period: ReviewPeriod) -> Iterator[tuple]:
    decided = Decision.objects.filter(is_current=True, decided_on__gte=period.start, decided_on__lte=period.end)
    rows = (
        counting_for(decided, council_id, "decided_on")
        .annotate(**_remedy_columns())
        .values_list(
            "complaint__reference",
            "complaint__received_on",
            "complaint__category__name",
            "complaint__subcategory__name",
            "decided_on",
            "outcome",
            "upheld_kind",
            "form",
            "remedy_types",
            "financial_redress_total",
            "first_due_on",
            "last_due_on",
            "compliance__outcome",
            "compliance__recorded_on",
        )
        .order_by("decided_on", "complaint__reference")
    )
    for row in rows.iterator(chunk_size=CHUNK):
        (reference, received, category, subcategory, decided, outcome, kind, form, remedies, *rest) = row
        amount, first_due, last_due, compliance, recorded = rest
        yield (
            reference,
            received,
            category,
            subcategory,
            decided,
            _label(outcome),
            _label(kind),
            _label(form),
            _remedies(remedies),
            amount,
            first_due,
            last_due,
            _label(compliance),
            recorded,
        )


COMPLIANCE_HEADER = [
    "reference",
    "category",
    "subcategory",
    "decided_on",
    "remedy_types",
    "financial_redress_total",
    "first_due_on",
    "last_due_on",
    "compliance_outcome",
    "recorded_on",
]


def compliance_rows(council_id: int, period: ReviewPeriod) -> Iterator[tuple]:
    recorded = ComplianceOutcome.objects.filter(recorded_on__gte=period.start, recorded_on__lte=period.end)
    rows = (
        counting_for(recorded, council_id, "recorded_on")
        .annotate(**_remedy_columns("decision__"))
        .values_list(
            "decision__complaint__reference",
            "decision__complaint__category__name",
            "decision__complaint__subcategory__name",
            "decision__decided_on",
            "remedy_types",
            "financial_redress_total",
            "first_due_on",
            "last_due_on",
            "outcome",
            "recorded_on",
        )
        .order_by("recorded_on", "decision__complaint__reference")
    )
    for reference, category, subcategory, decided, remedies, amount, first, last, outcome, recorded in rows.iterator(
        chunk_size=CHUNK
    ):
        yield (
            reference,
            category,
            subcategory,
            decided,
            _remedies(remedies),
            amount,
            first,
            last,
            _label(outcome),
            recorded,
        )


@dataclass(frozen=True)
class Annex:
    slug: str
    title: str
    description: str
    kind: str
    header: list[str]
    rows: Callable[[int, ReviewPeriod], Iterator[tuple]]


ANNEXES = {
    annex.slug: annex
    for annex in (
        Annex(
            "complaints-received",
            "Complaints received",
            "Every complaint about the council received in the year, with its decision so far.",
            DownloadKind.ANNEX_RECEIVED,
            RECEIVED_HEADER,
            received_rows,
        ),
        Annex(
            "decisions",
            "Decisions made",
            "Every decision made in the year (the figures in the letter count these), with the remedies recommended.",
            DownloadKind.ANNEX_DECIDED,
            DECIDED_HEADER,
            decided_rows,
        ),
        Annex(
            "compliance-outcomes",
            "Compliance outcomes recorded",
            "Every compliance outcome recorded in the year, with the remedies it was about.",
            DownloadKind.ANNEX_COMPLIANCE,
            COMPLIANCE_HEADER,
            compliance_rows,
        ),
    )
}
