"""Filing sent letters: a task files each one (renders the PDF with the letterhead, keeps it on the
case as a Document) and, for a letter by email, queues one email per recipient through the
shared outbox. Filing is claimed by a conditional UPDATE (pending -> rendering), so a task
delivered twice or retried files one PDF and queues each email once; a worker that died while
rendering leaves the row in `rendering` and the sweep queues it again.
"""

import datetime
import logging
from functools import partial

from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from casefile.correspondence import letters
from casefile.correspondence.models import (
    Correspondence,
    CorrespondenceEmail,
    FilingStatus,
    Method,
    Party,
)
from casefile.correspondence.outbox import LETTER_EMAILS
from casefile.policy import FILE_MAX_ATTEMPTS, FILE_STUCK_AFTER
from casefile.services import document_upload
from casefile.tasks import correspondence_file_task
from ombudsman.organisation import organisation_profile
from ombudsman.outbox.policy import ERROR_MAX_CHARS
from ombudsman.outbox.rows import message_id_for

logger = logging.getLogger(__name__)


def enqueue(correspondence_ids: list[int]) -> None:
    """Send each letter to the filing task. Without a broker the task runs here and now."""
    for correspondence_id in correspondence_ids:
        try:
            correspondence_file_task.delay(correspondence_id)
        except Exception:  # the row stays pending (or the task marked it failed); the sweep re-queues it
            logger.exception("Could not queue or file letter %s", correspondence_id)


def printed(letter: Correspondence) -> letters.Letter:
    """A sent letter as printed, from what was frozen when it was sent."""
    return letters.Letter(
        reference=letter.complaint.reference,
        date=letter.dated_on,
        method_line=Method(letter.method).label,
        addressee_lines=letter.recipient_address.split("\n"),
        subject=letter.subject,
        body=letter.body,
        signatory=str(letter.created_by),
        organisation=organisation_profile().name,
    )


def letter_file_name(letter: Correspondence) -> str:
    """`19 012 345 Enquiry to the council 2026-12-02.pdf`."""
    return f"{letter.complaint.reference} {letter.get_kind_display()} {letter.dated_on:%Y-%m-%d}.pdf"


def email_idempotency_key(correspondence_id: int, recipient: str) -> str:
    return f"correspondence:{correspondence_id}:{recipient}"


def letter_file(*, correspondence_id: int) -> bool:
    """Render a pending letter to PDF, keep it on the case and queue its email, if this call wins
    the claim. Returns whether it filed the letter."""
    claim = timezone.now()
    claimed = Correspondence.objects.filter(
        pk=correspondence_id, status=FilingStatus.PENDING, attempts__lt=FILE_MAX_ATTEMPTS
    ).update(status=FilingStatus.RENDERING, claimed_at=claim, attempts=F("attempts") + 1, error="")
    if not claimed:
        Correspondence.objects.filter(
            pk=correspondence_id, status=FilingStatus.PENDING, attempts__gte=FILE_MAX_ATTEMPTS
        ).update(
            status=FilingStatus.FAILED, error=f"Stopped after {FILE_MAX_ATTEMPTS} attempts to prepare this letter."
        )
        return False
    letter = Correspondence.objects.select_related("complaint", "created_by").get(pk=correspondence_id)
    documents = []
    try:
        data = letters.letter_pdf(printed(letter))
        with transaction.atomic():
            still_ours = (
                Correspondence.objects.select_for_update()
                .filter(pk=correspondence_id, status=FilingStatus.RENDERING, claimed_at=claim)
                .exists()
            )
            if not still_ours:  # swept and claimed again meanwhile: that attempt files it
                return False
            documents = document_upload(
                complaint=letter.complaint,
                by=letter.created_by,
                files=[(letter_file_name(letter), data)],
                shared_with_council=letter.party == Party.COUNCIL,
            )
            Correspondence.objects.filter(pk=correspondence_id).update(
                status=FilingStatus.FILED, document=documents[0], claimed_at=None, error=""
            )
            emails = []
            if letter.method == Method.EMAIL and not letter.posted_on:
                key = email_idempotency_key(letter.pk, letter.recipient_email)
                email = CorrespondenceEmail(
                    correspondence=letter,
                    complaint_id=letter.complaint_id,
                    recipient=letter.recipient_email,
                    idempotency_key=key,
                    message_id=message_id_for(key, kind="case-letter"),
                    requested_by=letter.created_by,
                )
                email.full_clean(validate_unique=False, validate_constraints=False)  # the database checks both
                email.save()
                emails.append(email.pk)
            transaction.on_commit(partial(LETTER_EMAILS.enqueue, emails))
    except Exception:
        for document in documents:  # filed nothing: the stored file goes too
            storages["private"].delete(document.stored_name)
        Correspondence.objects.filter(pk=correspondence_id, status=FilingStatus.RENDERING, claimed_at=claim).update(
            status=FilingStatus.PENDING, claimed_at=None
        )
        raise
    return True


def letter_mark_failed(*, correspondence_id: int, error: str) -> bool:
    """Record that a letter could not be prepared (after the task's last retry)."""
    return bool(
        Correspondence.objects.filter(
            pk=correspondence_id, status__in=(FilingStatus.PENDING, FilingStatus.RENDERING)
        ).update(status=FilingStatus.FAILED, error=(error or "Unknown error")[:ERROR_MAX_CHARS], claimed_at=None)
    )


def letters_sweep_stuck(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again letters whose worker died while filing (rendering for longer than
    FILE_STUCK_AFTER) and pending letters that waited that long (their task was lost)."""
    now = now or timezone.now()
    cutoff = now - FILE_STUCK_AFTER
    with transaction.atomic():
        ids = list(
            Correspondence.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=FilingStatus.RENDERING, claimed_at__lt=cutoff)
                | Q(status=FilingStatus.PENDING, created_at__lt=cutoff)
            )
            .values_list("pk", flat=True)
        )
        Correspondence.objects.filter(pk__in=ids, status=FilingStatus.RENDERING).update(
            status=FilingStatus.PENDING, claimed_at=None
        )
        if ids:
            transaction.on_commit(partial(enqueue, ids))
    return ids
