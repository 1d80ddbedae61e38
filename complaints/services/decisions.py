"""Writes to a case's decision, its recommendations and their compliance outcomes, with the
blockers the pages show before offering an action (the same rules the services enforce).

Compliance is recorded per recommendation (DOMAIN "Compliance per recommendation"). The case's
ComplianceOutcome, the one the statistics count, is derived in one place, `compliance_derive`,
when the last of its recommendations has an outcome: on the latest date recorded, not complied
if any was not complied with, otherwise complied late if any was late, otherwise on time. The
case then closes; until then it stays in remedy monitoring."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from complaints.models import (
    Complaint,
    ComplianceOutcome,
    Decision,
    Recommendation,
    Status,
    case_compliance_result,
    status_after_decision,
)
from complaints.services.cases import complaint_locked
from ombudsman.formatting import long_date

CLOSED_BLOCKER = (
    "This case is closed. A manager can reopen it, giving the reason, to correct its decision, "
    "recommendations or compliance."
)
CLOSED_WHY = "Closed: a manager can correct this"  # beside a field with no Change link


def _closed(decision: Decision) -> bool:
    return decision.complaint.status == Status.CLOSED


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
    if _closed(decision):
        return CLOSED_BLOCKER
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
    complaint = complaint_locked(complaint)
    current = (
        Decision.objects.select_related("compliance").filter(complaint=complaint, is_current=True).first()
        if complaint.pk
        else None
    )
    if current is not None:
        current.complaint = complaint
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
    complaint_locked(decision.complaint)
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
    if _closed(decision):
        return CLOSED_BLOCKER
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
    # Removing the last open recommendation leaves every other one resolved.
    compliance_derive(decision=decision)


def compliance_blocker(decision: Decision | None) -> str | None:
    """Why compliance cannot be recorded on this decision's open recommendations, or None."""
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
    recommendations = list(decision.recommendations.all())
    if not recommendations:
        return "Add the recommendations the council must carry out before recording compliance."
    if all(recommendation.is_resolved for recommendation in recommendations):
        return "Every recommendation on this decision already has a compliance outcome."
    if _closed(decision):
        return CLOSED_BLOCKER
    return None


def recommendation_compliance_blocker(recommendation: Recommendation) -> str | None:
    """Why a compliance outcome cannot be recorded on this recommendation, or None."""
    if recommendation.is_resolved:
        return (
            f"The compliance outcome of this recommendation has been recorded "
            f"({recommendation.get_compliance_outcome_display().lower()} on {long_date(recommendation.compliance_recorded_on)})."
        )
    return compliance_blocker(recommendation.decision)


def _resolve(recommendation: Recommendation, *, outcome: str, recorded_on: datetime.date, note: str) -> None:
    recommendation.compliance_outcome = outcome
    recommendation.compliance_recorded_on = recorded_on
    recommendation.evidence_note = note
    recommendation.full_clean()
    recommendation.save(update_fields=["compliance_outcome", "compliance_recorded_on", "evidence_note", "updated_at"])


def compliance_derive(*, decision: Decision, by=None) -> ComplianceOutcome | None:
    """Record the case's compliance outcome once every recommendation of the decision has one,
    and close the case; None while any is open. Call inside the transaction (the complaint locked)
    that recorded or removed a recommendation's outcome."""
    if _saved_compliance(decision) is not None or not decision.has_remedies_recommended:
        return None
    results = list(decision.recommendations.values_list("compliance_outcome", "compliance_recorded_on"))
    if not results or any(not outcome for outcome, _ in results):
        return None
    compliance = ComplianceOutcome(
        decision=decision,
        council_id=decision.complaint.council_id,
        outcome=case_compliance_result(outcome for outcome, _ in results),
        recorded_on=max(recorded_on for _, recorded_on in results),
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


@transaction.atomic
def recommendation_compliance_record(
    *, recommendation: Recommendation, outcome: str, recorded_on: datetime.date, evidence_note: str = "", by=None
) -> ComplianceOutcome | None:
    """Record whether the council carried out one recommendation. Returns the case's compliance
    outcome when this was the last open recommendation (the case is then closed), else None."""
    decision = _locked_decision(recommendation.decision)
    recommendation = Recommendation.objects.get(pk=recommendation.pk, decision=decision)
    recommendation.decision = decision
    if blocker := recommendation_compliance_blocker(recommendation):
        raise ValidationError(blocker)
    _resolve(recommendation, outcome=outcome, recorded_on=recorded_on, note=evidence_note)
    return compliance_derive(decision=decision, by=by)


@transaction.atomic
def compliance_record(
    *, decision: Decision, outcome: str, recorded_on: datetime.date, note: str = "", by=None
) -> ComplianceOutcome:
    """Record one outcome for every recommendation of the decision still open; this closes the
    case, with the outcome derived from all its recommendations (those recorded earlier count)."""
    decision = _locked_decision(decision)
    if blocker := compliance_blocker(decision):
        raise ValidationError(blocker)
    # The outcome and date checked as the case's, so errors name the form's fields.
    ComplianceOutcome(
        decision=decision, council_id=decision.council_id, outcome=outcome, recorded_on=recorded_on, note=note
    ).full_clean(validate_unique=False, validate_constraints=False)
    for recommendation in decision.recommendations.filter(compliance_outcome=""):
        recommendation.decision = decision
        _resolve(recommendation, outcome=outcome, recorded_on=recorded_on, note=note)
    compliance = compliance_derive(decision=decision, by=by)
    if compliance is not None and note:
        compliance.note = note
        compliance.save(update_fields=["note", "updated_at"])
    return compliance
