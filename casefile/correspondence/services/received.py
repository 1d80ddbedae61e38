"""Letters received from the complainant or the council, and the enquiries still awaiting a reply."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casefile import permissions
from casefile.correspondence.models import (
    Correspondence,
    Direction,
    FilingStatus,
    Party,
)
from casefile.services import document_upload
from complaints.models import Complaint


@transaction.atomic
def letter_received_record(
    *,
    complaint: Complaint,
    by,
    party: str,
    received_on: datetime.date,
    subject: str,
    method: str,
    file: tuple[str, bytes],
    replies_to: Correspondence | None = None,
) -> Correspondence:
    """Record a letter received from the complainant or the council, with its document. Raises
    ValidationError (the file is judged as any upload is)."""
    if not permissions.can_send_letters(by):
        raise ValidationError("Only ombudsman staff can record correspondence.")
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date it was received must be today or in the past"})
    if replies_to is not None and (
        replies_to.complaint_id != complaint.pk
        or replies_to.direction != Direction.OUTGOING
        or party != replies_to.party
    ):
        raise ValidationError({"replies_to": "A reply answers a letter we sent on this case to the same party"})
    document = document_upload(complaint=complaint, by=by, files=[file], from_complainant=party == Party.COMPLAINANT)[0]
    letter = Correspondence(
        complaint=complaint,
        direction=Direction.INCOMING,
        party=party,
        subject=subject.strip(),
        dated_on=received_on,
        method=method,
        replies_to=replies_to,
        document=document,
        status=FilingStatus.FILED,
        created_by=by,
        created_at=timezone.now(),
    )
    letter.full_clean()
    letter.save()
    return letter


def open_enquiries(complaint: Complaint) -> list[Correspondence]:
    """The case's enquiries to the council that await a response, oldest first."""
    return list(
        Correspondence.objects.enquiries_awaiting_response().filter(complaint=complaint).order_by("dated_on", "pk")
    )
