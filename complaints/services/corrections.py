"""Corrections after a case is closed (issue 14 §3).

A closed case's decision, recommendations and compliance are not changed in place: a manager
reopens the case, giving the reason. Reopening removes the case's compliance outcome (the one the
statistics count) and each recommendation's own, and returns the case to remedy monitoring (or,
with no remedies to monitor, to decided), where its decision, recommendations and compliance are
recorded again through the usual pages. The reason is the history context of the change
(pghistory), so the case page's history shows it with the values removed. A letter whose figures
change is then flagged out of date by reviews' own check (its snapshot no longer matches the
statistics), with nothing to do here.
"""

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction

from complaints.models import Complaint, ComplianceOutcome, Decision, Recommendation, Status, status_after_decision
from complaints.services.cases import complaint_locked

REASON_REQUIRED = "Enter why the case is being reopened"


def reopen_blocker(complaint: Complaint) -> str | None:
    """Why the case cannot be reopened, or None."""
    if complaint.status != Status.CLOSED:
        return f"Only a closed case can be reopened; this case is “{complaint.get_status_display()}”."
    return None


@transaction.atomic
def case_reopen(*, complaint: Complaint, reason: str, by=None) -> Complaint:
    """Reopen a closed case to correct it. Raises ValidationError without a reason or when the
    case is not closed."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    with pghistory.context(reason=reason, correction="reopen"):
        complaint = complaint_locked(complaint)
        if blocker := reopen_blocker(complaint):
            raise ValidationError(blocker)
        decision = Decision.objects.filter(complaint=complaint, is_current=True).first()
        if decision is None:
            complaint.status = Status.RECEIVED
        else:
            ComplianceOutcome.objects.filter(decision=decision).delete()
            Recommendation.objects.filter(decision=decision).exclude(compliance_outcome="").update(
                compliance_outcome="", compliance_recorded_on=None, evidence_note=""
            )
            complaint.status = status_after_decision(
                outcome=decision.outcome, upheld_kind=decision.upheld_kind, has_compliance=False
            )
        complaint.save(update_fields=["status", "updated_at"])
    return complaint
