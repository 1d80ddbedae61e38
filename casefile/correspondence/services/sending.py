"""Sending letters: sending one freezes its text and addressee and queues it for filing
(casefile.correspondence.services.filing); a sent letter may then be marked as posted, and a
failed email of it sent again.
"""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casefile import permissions
from casefile.correspondence import letters
from casefile.correspondence.models import (
    Correspondence,
    CorrespondenceEmail,
    Direction,
    FilingStatus,
    Method,
    Party,
)
from casefile.correspondence.outbox import LETTER_EMAILS
from casefile.correspondence.services.drafts import addressee
from casefile.correspondence.services.filing import enqueue, printed
from complaints.models import Complaint
from ombudsman.formatting import long_date


def _new_letter(
    *,
    complaint: Complaint,
    by,
    kind: str,
    party: str,
    subject: str,
    body: str,
    method: str,
    posted_on: datetime.date | None,
    response_due: datetime.date | None,
) -> Correspondence:
    """An unsaved sent letter, its addressee as the case and the council's contacts say today."""
    to = addressee(complaint, party)
    return Correspondence(
        complaint=complaint,
        direction=Direction.OUTGOING,
        party=party,
        kind=kind,
        subject=subject.strip(),
        body=body.replace("\r\n", "\n").strip(),
        dated_on=timezone.localdate(),
        method=method,
        recipient_name=to.name,
        recipient_email=to.email if method == Method.EMAIL else "",
        recipient_address="\n".join(to.lines),
        posted_on=posted_on if method == Method.POST else None,
        response_due=response_due,
        status=FilingStatus.PENDING,
        created_by=by,
        created_at=timezone.now(),
    )


def letter_preview(**letter) -> letters.Letter:
    """The letter as it would be printed if sent now (letter_send's arguments)."""
    return printed(_new_letter(**letter))


@transaction.atomic
def letter_send(
    *,
    complaint: Complaint,
    by,
    kind: str,
    party: str,
    subject: str,
    body: str,
    method: str,
    posted_on: datetime.date | None = None,
    response_due: datetime.date | None = None,
) -> Correspondence:
    """Send a letter written from a template: its text and addressee are frozen now, and a task
    files it as a PDF on the case and (by email) emails it. Raises ValidationError."""
    if not permissions.can_send_letters(by):
        raise ValidationError("Only ombudsman staff can send letters.")
    today = timezone.localdate()
    letter = _new_letter(
        complaint=complaint,
        by=by,
        kind=kind,
        party=party,
        subject=subject,
        body=body,
        method=method,
        posted_on=posted_on,
        response_due=response_due,
    )
    errors = {}
    if not letter.subject:
        errors["subject"] = "Enter the letter's subject"
    if not letter.body:
        errors["body"] = "Enter the letter's text"
    if method == Method.EMAIL and not letter.recipient_email:
        errors["method"] = (
            "The case has no email address for the complainant: add one to the case, or send the letter by post"
            if party == Party.COMPLAINANT
            else "The council has no complaints contact or link officer with an email address: "
            "add one on the council's page, or send the letter by post"
        )
    if method == Method.POST:
        if posted_on is None:
            errors["posted_on"] = "Enter the date the letter was posted"
        elif posted_on > today:
            errors["posted_on"] = "The date the letter was posted must be today or in the past"
    if response_due is not None and response_due <= today:
        errors["response_due"] = "The date a reply is due must be in the future"
    if errors:
        raise ValidationError(errors)
    letter.full_clean()
    letter.save()
    transaction.on_commit(partial(enqueue, [letter.pk]))
    return letter


@transaction.atomic
def letter_mark_posted(*, letter: Correspondence, by, posted_on: datetime.date) -> Correspondence:
    """Record that a sent letter was (also) posted, on `posted_on`: emails not yet sent are cancelled."""
    if not permissions.can_send_letters(by):
        raise ValidationError("Only ombudsman staff can record how a letter was sent.")
    letter = Correspondence.objects.select_for_update().get(pk=letter.pk)
    if letter.direction != Direction.OUTGOING:
        raise ValidationError("Only a letter we sent can be marked as sent by post.")
    if letter.status == FilingStatus.FAILED:
        raise ValidationError("This letter could not be prepared, so there is no letter to post: write it again.")
    if letter.posted_on:
        raise ValidationError(f"This letter was already recorded as posted on {long_date(letter.posted_on)}.")
    if posted_on > timezone.localdate() or posted_on < letter.dated_on:
        raise ValidationError({"posted_on": "The date it was posted must be between the letter's date and today"})
    letter.posted_on = posted_on
    letter.save(update_fields=["posted_on"])
    CorrespondenceEmail.objects.filter(correspondence=letter, status=CorrespondenceEmail.Status.QUEUED).update(
        status=CorrespondenceEmail.Status.CANCELLED, last_error="Not sent: the letter was sent by post."
    )
    return letter


def email_resend_refusal(email: CorrespondenceEmail) -> str:
    """Why this email cannot be sent again as it stands (only a failed one can), or ""."""
    if email.status != CorrespondenceEmail.Status.FAILED:
        return f"Only an email that failed can be sent again: this one is {email.get_status_display().lower()}."
    return ""


@transaction.atomic
def letter_email_resend(*, email: CorrespondenceEmail, by) -> CorrespondenceEmail:
    """Send again an email of a letter whose delivery failed: the same row queued again through the
    outbox (LETTER_EMAILS.requeue), to the address the letter was sent to, so it can never go twice.
    Raises ValidationError."""
    if not permissions.can_send_letters(by):
        raise ValidationError("Only ombudsman staff can send letters.")
    email = (
        CorrespondenceEmail.objects.select_for_update(of=("self",))
        .select_related("correspondence__document")
        .get(pk=email.pk)
    )
    letter = email.correspondence
    if refusal := email_resend_refusal(email):
        raise ValidationError(refusal)
    if letter.posted_on:
        raise ValidationError(
            f"The letter was sent by post on {long_date(letter.posted_on)}, so its email is not sent again."
        )
    if letter.document is None or letter.document.is_deleted:
        raise ValidationError("The letter's PDF is no longer on the case, so it cannot be emailed. Write it again.")
    LETTER_EMAILS.requeue(email.pk, by=by)
    email.refresh_from_db()
    return email
