"""Writes of correspondence. Each runs in one transaction (filing renders its PDF outside one),
checks the rules in words a caseworker understands (the database checks them again) and lands in
the case's history.

Sending a letter freezes its text and addressee and queues it; a task files it (renders the PDF
with the letterhead, keeps it on the case as a Document) and, for a letter by email, queues one
email per recipient through the shared outbox. Filing is claimed by a conditional UPDATE (pending
-> rendering), so a task delivered twice or retried files one PDF and queues each email once; a
worker that died while rendering leaves the row in `rendering` and the sweep queues it again.
"""

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from casefile import permissions
from casefile.correspondence import letters
from casefile.correspondence.models import (
    Correspondence,
    CorrespondenceEmail,
    Direction,
    FilingStatus,
    LetterTemplate,
    Method,
    Party,
)
from casefile.correspondence.outbox import LETTER_EMAILS
from casefile.correspondence.placeholders import LetterValues, fill, placeholder_problems, sample_values
from casefile.policy import FILE_MAX_ATTEMPTS, FILE_STUCK_AFTER
from casefile.services import document_upload
from casefile.tasks import correspondence_file_task
from complaints.models import Complaint
from councils.selectors import casework_contact
from ombudsman.formatting import long_date
from ombudsman.organisation import address_lines, organisation_profile
from ombudsman.outbox.policy import ERROR_MAX_CHARS
from ombudsman.outbox.rows import message_id_for
from ombudsman.working_days import add_working_days

logger = logging.getLogger(__name__)


# Templates -----------------------------------------------------------------------------------


@transaction.atomic
def letter_template_update(
    *, template: LetterTemplate, by, subject: str, body: str, addressed_to: str, response_days: int | None
) -> LetterTemplate:
    """Save a template. Raises ValidationError naming each placeholder that is not one."""
    if not permissions.can_edit_letter_templates(by):
        raise ValidationError("Only a manager can change letter templates.")
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        problems = placeholder_problems(text)
        if problems:
            errors[field] = problems
    if errors:
        raise ValidationError(errors)
    template = LetterTemplate.objects.select_for_update().get(pk=template.pk)
    template.subject, template.body = subject.strip(), body.replace("\r\n", "\n").strip()
    template.addressed_to, template.response_days, template.updated_by = addressed_to, response_days, by
    template.full_clean()
    template.save()
    return template


# Who a letter goes to -------------------------------------------------------------------------


@dataclass(frozen=True)
class Addressee:
    name: str
    email: str
    lines: list[str]  # as printed above the letter


def addressee(complaint: Complaint, party: str) -> Addressee:
    """The complainant as recorded on the case, or the council's casework contact (its complaints
    contact, else its link officer; without either, the council itself, by post only)."""
    if party == Party.COMPLAINANT:
        name = complaint.complainant_name or "The complainant"
        return Addressee(name, complaint.complainant_email, [name, *address_lines(complaint.complainant_address)])
    council = str(complaint.council)
    contact = casework_contact(complaint.council_id)
    if contact is None:
        return Addressee(council, "", [council])
    return Addressee(
        contact.full_name, contact.email, [line for line in (contact.full_name, contact.job_title, council) if line]
    )


def letter_values(
    complaint: Complaint, *, party: str, by, letter_date: datetime.date, response_due: datetime.date | None
) -> LetterValues:
    decision = next(iter(complaint.decisions.filter(is_current=True)), None)
    return LetterValues(
        case_reference=complaint.reference,
        council=str(complaint.council),
        complainant_name=complaint.complainant_name or "the complainant",
        recipient_name=addressee(complaint, party).name,
        received_date=complaint.received_on,
        letter_date=letter_date,
        caseworker=str(by),
        response_due=response_due,
        decision_date=decision.decided_on if decision else None,
        decision_summary=decision.summary if decision else "",
    )


def response_due(template: LetterTemplate, letter_date: datetime.date) -> datetime.date | None:
    return add_working_days(letter_date, template.response_days) if template.response_days else None


@dataclass(frozen=True)
class Draft:
    party: str
    subject: str
    body: str
    response_due: datetime.date | None


def letter_draft(*, complaint: Complaint, template: LetterTemplate, by, party: str | None = None) -> Draft:
    """The template filled in for this case (what the caseworker then edits before sending)."""
    party = party or template.addressed_to
    today = timezone.localdate()
    due = response_due(template, today)
    values = letter_values(complaint, party=party, by=by, letter_date=today, response_due=due)
    return Draft(party, fill(template.subject, values), fill(template.body, values), due)


# Sending -------------------------------------------------------------------------------------


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


# Letters received -----------------------------------------------------------------------------


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


def template_preview(*, subject: str, body: str, response_days: int | None, by) -> letters.Letter:
    """A template (checked: see placeholder_problems) filled with made-up values, as it would print."""
    today = timezone.localdate()
    due = add_working_days(today, response_days) if response_days else None
    values = sample_values(letter_date=today, response_due=due, caseworker=str(by))
    return letters.Letter(
        reference=values.case_reference,
        date=today,
        method_line=Method.EMAIL.label,
        addressee_lines=[values.recipient_name, "1 Sample Street", "Exampletown EX1 2AB"],
        subject=fill(subject, values),
        body=fill(body, values),
        signatory=str(by),
        organisation=organisation_profile().name,
    )
