"""Letters made straight in the database, for pages that list them (sending itself, with its
PDF rendering, is tested in test_sending)."""

import datetime

from django.utils import timezone

from casefile.correspondence.models import (
    Correspondence,
    CorrespondenceEmail,
    Direction,
    FilingStatus,
    LetterKind,
    Method,
    Party,
)
from casefile.services import document_upload
from ombudsman.outbox.rows import OutboxStatus
from tests.casefile import files


def sent_letter(
    complaint,
    by,
    *,
    kind=LetterKind.ENQUIRY,
    party=Party.COUNCIL,
    dated_on=None,
    email="link@council.example.org",
    email_status=OutboxStatus.SENT,
    posted_on=None,
    response_due=None,
    status=FilingStatus.FILED,
    subject="Complaint: enquiry",
) -> Correspondence:
    """A sent letter, filed with its PDF (unless `status` says otherwise) and, by email, its one email."""
    dated_on = dated_on or timezone.localdate()
    document = None
    if status == FilingStatus.FILED:
        [document] = document_upload(complaint=complaint, by=by, files=[(f"{subject} {dated_on}.pdf", files.PDF)])
    letter = Correspondence.objects.create(
        complaint=complaint,
        direction=Direction.OUTGOING,
        party=party,
        kind=kind,
        subject=subject,
        body="Dear Sir or Madam,\n\nPlease reply.",
        dated_on=dated_on,
        method=Method.POST if posted_on else Method.EMAIL,
        recipient_name="Lin Kay",
        recipient_email="" if posted_on else email,
        recipient_address="Lin Kay\nLink officer",
        posted_on=posted_on,
        response_due=response_due,
        document=document,
        status=status,
        error="WeasyPrint failed" if status == FilingStatus.FAILED else "",
        created_by=by,
        created_at=timezone.now(),
    )
    if not posted_on and status == FilingStatus.FILED:
        CorrespondenceEmail.objects.create(
            correspondence=letter,
            complaint=complaint,
            recipient=email,
            idempotency_key=f"test:{letter.pk}:{email}",
            message_id=f"<test-{letter.pk}@example.org>",
            status=email_status,
            sent_at=timezone.now() if email_status == OutboxStatus.SENT else None,
            last_error="550 User unknown" if email_status == OutboxStatus.FAILED else "",
        )
    return letter


def received_letter(complaint, by, *, party=Party.COUNCIL, replies_to=None, received_on=None, subject="Response"):
    [document] = document_upload(complaint=complaint, by=by, files=[(f"{subject}.pdf", files.PDF)])
    return Correspondence.objects.create(
        complaint=complaint,
        direction=Direction.INCOMING,
        party=party,
        subject=subject,
        dated_on=received_on or timezone.localdate() - datetime.timedelta(days=1),
        method=Method.EMAIL,
        replies_to=replies_to,
        document=document,
        status=FilingStatus.FILED,
        created_by=by,
        created_at=timezone.now(),
    )
