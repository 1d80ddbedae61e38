"""Writes to a case itself: create, change, assign, close; and the export log of the case list."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from complaints.models import (
    PRE_DECISION_STATUSES,
    Category,
    Complaint,
    ExportLog,
    Status,
    long_date,
)
from complaints.references import reference_next
from councils.models import Council
from ombudsman import roles


def complaint_locked(complaint: Complaint) -> Complaint:
    """The complaint, re-read under a row lock until the transaction ends."""
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
    complaint = complaint_locked(complaint)
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
    complaint = complaint_locked(complaint)
    complaint.assigned_to = assigned_to
    complaint.save(update_fields=["assigned_to", "updated_at"])
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint) -> Complaint:
    """Close a decided case (one with no remedies to monitor)."""
    complaint = complaint_locked(complaint)
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


@transaction.atomic
def export_log(*, user, query: str, row_count: int, personal: bool = False, reason: str = "") -> ExportLog:
    """Record an export before its rows are sent (so an interrupted download is still logged).
    An export with personal data needs a manager and a reason."""
    if personal and not roles.is_manager(user):
        raise ValidationError("Only a manager may export complainants' names and contact details.")
    log = ExportLog(user=user, query=query, row_count=row_count, personal=personal, reason=reason.strip())
    if personal and not log.reason:
        raise ValidationError({"reason": "Say why you need complainants' names and contact details"})
    log.full_clean()
    log.save()
    return log
