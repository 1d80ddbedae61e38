"""Every write to casework: complaints, decisions, recommendations, compliance, categories, exports.

Each service takes keyword-only arguments, runs in one transaction, locks the complaint row it
changes (so two caseworkers acting at once are serialised), checks the rules with
`full_clean()` (the model's `clean()` states them in plain words) plus the rules that depend on
the state of the case, and raises ValidationError with messages a caseworker understands.
The database checks the same rules again (constraints and triggers), and its history triggers
record every change with the signed-in user.

Status moves: received -> assessment -> investigation are set by caseworkers before a
decision; recording a decision or compliance outcome sets the status from
`status_after_decision`; closing moves decided -> closed.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from complaints.models import (
    PRE_DECISION_STATUSES,
    Category,
    Complaint,
    ComplianceOutcome,
    Decision,
    ExportLog,
    Recommendation,
    Status,
    long_date,
    status_after_decision,
)
from complaints.references import reference_next
from councils.models import Council
from ombudsman import roles


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _check_council_active(council: Council, received_on: datetime.date | None) -> None:
    if received_on is None:
        return
    if (council.active_from and received_on < council.active_from) or (
        council.active_to and received_on > council.active_to
    ):
        span = []
        if council.active_from:
            span.append(f"from {long_date(council.active_from)}")
        if council.active_to:
            span.append(f"to {long_date(council.active_to)}")
        raise ValidationError(
            {
                "council": f"{council} did not exist on {long_date(received_on)}: it existed {' '.join(span)}. "
                "Choose the council that was responsible on the date received"
            }
        )


def _check_assignee(user) -> None:
    if user is not None and (not user.is_active or not roles.is_caseworker(user)):
        raise ValidationError({"assigned_to": f"{user} is not a caseworker, so cannot be assigned cases"})


@transaction.atomic
def complaint_create(
    *,
    council: Council,
    received_on: datetime.date,
    category: Category,
    subcategory: Category | None = None,
    complainant_name: str = "",
    complainant_email: str = "",
    complainant_phone: str = "",
    complainant_address: str = "",
    summary: str = "",
    assigned_to=None,
    by=None,
) -> Complaint:
    """Register a new complaint. Its reference comes from the year it was received."""
    if not category.is_active or (subcategory is not None and not subcategory.is_active):
        raise ValidationError({"category": "This category is no longer used for new complaints: choose another"})
    _check_council_active(council, received_on)
    _check_assignee(assigned_to)
    complaint = Complaint(
        council=council,
        received_on=received_on,
        category=category,
        subcategory=subcategory,
        complainant_name=complainant_name,
        complainant_email=complainant_email,
        complainant_phone=complainant_phone,
        complainant_address=complainant_address,
        summary=summary,
        assigned_to=assigned_to,
        created_by=by,
        status=Status.RECEIVED,
    )
    complaint.full_clean(exclude=["reference"])
    complaint.reference = reference_next(received_on)
    complaint.save()
    return complaint


COMPLAINT_EDITABLE = (
    "council",
    "received_on",
    "category",
    "subcategory",
    "complainant_name",
    "complainant_email",
    "complainant_phone",
    "complainant_address",
    "summary",
)


@transaction.atomic
def complaint_update(*, complaint: Complaint, status: str | None = None, **changes) -> Complaint:
    """Change the facts of a case (not its reference). `status` only before a decision."""
    unknown = set(changes) - set(COMPLAINT_EDITABLE)
    if unknown:
        raise TypeError(f"complaint_update() cannot change {', '.join(sorted(unknown))}")
    complaint = _locked(complaint)
    for name, value in changes.items():
        setattr(complaint, name, value)
    if "council" in changes or "received_on" in changes:
        _check_council_active(complaint.council, complaint.received_on)
    current = complaint.decisions.filter(is_current=True).first()
    if current and complaint.received_on > current.decided_on:
        raise ValidationError(
            {
                "received_on": "The date received must be the same as or before the decision date "
                f"({long_date(current.decided_on)})"
            }
        )
    if status is not None and status != complaint.status:
        if current is not None or status not in PRE_DECISION_STATUSES:
            raise ValidationError(
                {"status": "The status of a decided case follows its decision: record a decision or compliance instead"}
            )
        complaint.status = status
    complaint.full_clean()
    complaint.save()
    return complaint


@transaction.atomic
def complaint_assign(*, complaint: Complaint, assigned_to) -> Complaint:
    """Give the case to a caseworker (or to nobody)."""
    _check_assignee(assigned_to)
    complaint = _locked(complaint)
    complaint.assigned_to = assigned_to
    complaint.save(update_fields=["assigned_to", "updated_at"])
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint) -> Complaint:
    """Close a decided case (one with no remedies to monitor)."""
    complaint = _locked(complaint)
    if complaint.status != Status.DECIDED:
        if complaint.status == Status.REMEDY_MONITORING:
            message = "This case is monitoring remedies: record the compliance outcome, which closes it"
        elif complaint.status == Status.CLOSED:
            message = "This case is already closed"
        else:
            message = "Only a decided case can be closed: record the decision first"
        raise ValidationError(message)
    complaint.status = Status.CLOSED
    complaint.save(update_fields=["status", "updated_at"])
    return complaint


def _saved_compliance(decision: Decision) -> ComplianceOutcome | None:
    """The decision's recorded compliance outcome. An unsaved one (a form's instance sets the
    decision's one-to-one cache) does not count."""
    compliance = getattr(decision, "compliance", None)
    return compliance if compliance is not None and compliance.pk is not None else None


def decision_replace_blocker(decision: Decision | None) -> str | None:
    """Why the current decision cannot be replaced by a new one, or None if it can."""
    if decision is None:
        return None
    if _saved_compliance(decision) is not None:
        return (
            "This case's decision cannot be replaced because a compliance outcome has been recorded "
            "against it. The compliance outcome counts in the annual statistics, so it stays with this decision."
        )
    if decision.recommendations.exists():
        return (
            "This case's decision cannot be replaced because it has recommendations. "
            "Remove the recommendations first if the decision was recorded in error."
        )
    return None


@transaction.atomic
def decision_record(
    *,
    complaint: Complaint,
    decided_on: datetime.date,
    outcome: str,
    upheld_kind: str = "",
    form: str = "statement",
    summary: str = "",
    by=None,
) -> Decision:
    """Record the decision on a case. A case's earlier decision is kept, marked not current,
    unless it has recommendations or compliance (then this raises and explains why)."""
    complaint = _locked(complaint)
    current = (
        Decision.objects.select_related("compliance").filter(complaint=complaint, is_current=True).first()
        if complaint.pk
        else None
    )
    if blocker := decision_replace_blocker(current):
        raise ValidationError(blocker)
    decision = Decision(
        complaint=complaint,
        council_id=complaint.council_id,
        decided_on=decided_on,
        outcome=outcome,
        upheld_kind=upheld_kind,
        form=form,
        summary=summary,
        decided_by=by,
        is_current=True,
    )
    # Check the new decision before touching the old one, then again with the constraints.
    decision.full_clean(validate_constraints=False)
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current", "updated_at"])
    decision.full_clean()
    decision.save()
    complaint.status = status_after_decision(outcome=outcome, upheld_kind=upheld_kind, has_compliance=False)
    complaint.save(update_fields=["status", "updated_at"])
    return decision


def _locked_decision(decision: Decision) -> Decision:
    """Lock the decision's complaint, then re-read the decision (with its compliance)."""
    _locked(decision.complaint)
    return Decision.objects.select_related("complaint", "compliance").get(pk=decision.pk)


def recommendations_blocker(decision: Decision) -> str | None:
    """Why recommendations cannot be added to, changed on or removed from this decision, or None."""
    if not decision.is_current:
        return "This decision has been replaced, so its recommendations can no longer be changed."
    if not decision.has_remedies_recommended:
        if not decision.is_upheld:
            return f"Recommendations can only be made on upheld decisions; this decision is “{decision.get_outcome_display()}”."
        return (
            "Recommendations can only be made when the decision found fault causing injustice "
            f"(remedies recommended); this decision is “{decision.get_upheld_kind_display()}”."
        )
    if _saved_compliance(decision) is not None:
        return "Compliance has been recorded for this decision, so its recommendations can no longer be changed."
    return None


def _check_recommendations_open(decision: Decision) -> None:
    if blocker := recommendations_blocker(decision):
        raise ValidationError(blocker)


@transaction.atomic
def recommendation_add(
    *,
    decision: Decision,
    type: str,
    description: str,
    due_on: datetime.date,
    remedy_kind: str = "personal",
    amount: Decimal | None = None,
) -> Recommendation:
    decision = _locked_decision(decision)
    _check_recommendations_open(decision)
    recommendation = Recommendation(
        decision=decision, type=type, remedy_kind=remedy_kind, description=description, amount=amount, due_on=due_on
    )
    recommendation.full_clean()
    recommendation.save()
    return recommendation


RECOMMENDATION_EDITABLE = ("type", "remedy_kind", "description", "amount", "due_on")


@transaction.atomic
def recommendation_update(*, recommendation: Recommendation, **changes) -> Recommendation:
    unknown = set(changes) - set(RECOMMENDATION_EDITABLE)
    if unknown:
        raise TypeError(f"recommendation_update() cannot change {', '.join(sorted(unknown))}")
    decision = _locked_decision(recommendation.decision)
    _check_recommendations_open(decision)
    recommendation = Recommendation.objects.get(pk=recommendation.pk)
    recommendation.decision = decision
    for name, value in changes.items():
        setattr(recommendation, name, value)
    recommendation.full_clean()
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_remove(*, recommendation: Recommendation) -> None:
    decision = _locked_decision(recommendation.decision)
    _check_recommendations_open(decision)
    Recommendation.objects.filter(pk=recommendation.pk).delete()


def compliance_blocker(decision: Decision | None) -> str | None:
    """Why compliance cannot be recorded on this decision, or None."""
    if decision is None:
        return "Record the decision before recording compliance."
    if not decision.is_current:
        return "This decision has been replaced; record compliance on the current decision."
    if not decision.has_remedies_recommended:
        return (
            "Compliance can only be recorded on upheld decisions with remedies recommended; "
            f"this decision is “{decision.get_outcome_display()}”"
            + (f" ({decision.get_upheld_kind_display()})" if decision.upheld_kind else "")
            + "."
        )
    if _saved_compliance(decision) is not None:
        return f"Compliance has already been recorded for this decision ({decision.compliance})."
    if not decision.recommendations.exists():
        return "Add the recommendations the council must carry out before recording compliance."
    return None


@transaction.atomic
def compliance_record(
    *, decision: Decision, outcome: str, recorded_on: datetime.date, note: str = "", by=None
) -> ComplianceOutcome:
    """Record whether the council carried out the recommendations; this closes the case."""
    decision = _locked_decision(decision)
    if blocker := compliance_blocker(decision):
        raise ValidationError(blocker)
    compliance = ComplianceOutcome(
        decision=decision,
        council_id=decision.complaint.council_id,
        outcome=outcome,
        recorded_on=recorded_on,
        note=note,
        recorded_by=by,
    )
    compliance.full_clean(validate_unique=False)
    compliance.save()
    complaint = decision.complaint
    complaint.status = status_after_decision(
        outcome=decision.outcome, upheld_kind=decision.upheld_kind, has_compliance=True
    )
    complaint.save(update_fields=["status", "updated_at"])
    return compliance


def _category_slug(name: str, parent: Category | None, exclude_pk: int | None = None) -> str:
    base = f"{parent.slug}-{slugify(name)}" if parent else slugify(name)
    base = base[:130] or "category"
    slug, number = base, 2
    while Category.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _category_save(category: Category) -> Category:
    clash = Category.objects.filter(parent=category.parent_id, name__iexact=category.name).exclude(pk=category.pk)
    if category.name and clash.exists():
        where = f"in {category.parent.name}" if category.parent_id else "at the top level"
        raise ValidationError({"name": f"There is already a category called {category.name} {where}"})
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def category_create(*, name: str, parent: Category | None = None, position: int | None = None) -> Category:
    """Add a category (parent=None) or a sub-category. New ones go last unless a position is given."""
    name = name.strip()
    if position is None:
        last = Category.objects.filter(parent=parent).order_by("-position").values_list("position", flat=True).first()
        position = 0 if last is None else last + 1
    category = Category(name=name, parent=parent, position=position, slug=_category_slug(name, parent))
    return _category_save(category)


@transaction.atomic
def category_update(*, category: Category, name: str, position: int, is_active: bool) -> Category:
    """Rename, reorder or retire a category. Its slug stays, so links and imports keep working."""
    category = Category.objects.select_for_update().get(pk=category.pk)
    category.name, category.position, category.is_active = name.strip(), position, is_active
    return _category_save(category)


def export_log(*, user, query: str, row_count: int) -> ExportLog:
    """Record an export before its rows are sent (so an interrupted download is still logged)."""
    return ExportLog.objects.create(user=user, query=query, row_count=row_count)
