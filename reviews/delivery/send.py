"""Emailing approved letters (step 4 of the annual process): every copy sent exactly once.

- Asking to send (the "Send approved letters" button, approving a letter once its letter date
  has come, or the scheduled task from the year's letter date) writes, in the same transaction, one OutboxMessage per recipient of each
  approved letter: the council's current chief executive (To) and its link officer,
  monitoring officer, leader and chair of scrutiny where present (Cc, named in the Cc header
  of every copy). Each copy is its own SMTP transaction to one address, so a refused address
  fails alone. The idempotency key (letter, version, recipient) is unique: asking twice adds
  nothing. The send tasks are queued after commit.
- Sending is the shared outbox's (ombudsman.outbox.send: claimed by a conditional UPDATE, sent
  once over its own connection, transient failures retried with backoff, 5xx and the last retry
  marked failed, the sweep for rows whose worker died); the Message-ID is derived from the
  idempotency key, so every attempt of a row is the same message. Failures are shown on the
  letter page and can be sent again.
- A letter becomes `sent` (with sent_at) when its chief executive's copy is accepted: the
  addressee has the letter. Copies are tracked, and failures reported, per recipient.
- Who gets a copy is reviews.delivery.recipients'; what it says, reviews.delivery.email's.
"""

import datetime
import logging
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from councils.models import Contact
from ombudsman.outbox.rows import message_id_for
from ombudsman.outbox.send import Outbox
from reviews.approval.events import event_record
from reviews.delivery.email import message_email
from reviews.delivery.recipients import letter_recipients
from reviews.models import (
    AnnualLetter,
    CopyKind,
    LetterAction,
    LetterEvent,
    LetterStatus,
    OutboxMessage,
    OutboxStatus,
    ReviewYear,
    outbox_idempotency_key,
)
from reviews.policy import ERROR_MAX_CHARS, SEND_FROM
from reviews.tasks import outbox_message_send_task

logger = logging.getLogger(__name__)

Status = OutboxStatus


# Asking to send ------------------------------------------------------------------------------


@dataclass
class SendRequest:
    letters: list[AnnualLetter] = field(default_factory=list)  # approved letters with new emails queued
    messages: int = 0
    without_chief_executive: list[AnnualLetter] = field(default_factory=list)


def outbox_row(letter, email: str, *, role: str, kind: str, now, by) -> OutboxMessage:
    """An unsaved outbox row for one copy of a letter: its idempotency key (and so its Message-ID)
    names the letter, its version and the address, so the same copy is never queued twice."""
    key = outbox_idempotency_key(letter.pk, letter.version, email)
    return OutboxMessage(
        letter=letter,
        recipient=email,
        role=role,
        kind=kind,
        idempotency_key=key,
        message_id=message_id_for(key),
        queued_at=now,
        requested_by=by,
    )


@transaction.atomic
def letters_send(*, review_year: ReviewYear, by=None, letter_ids=None) -> SendRequest:
    """Queue the emails of the year's approved letters (or of `letter_ids` among them) that are
    not queued yet. Safe to call twice or concurrently: approved letters are locked and each
    (letter, version, recipient) has one row."""
    letters = AnnualLetter.objects.select_for_update(of=("self",)).filter(
        review_year=review_year, status=LetterStatus.APPROVED
    )
    if letter_ids is not None:
        letters = letters.filter(pk__in=letter_ids)
    letters = list(letters.select_related("council", "review_year").order_by("pk"))
    contacts: dict[int, list[Contact]] = {}
    for contact in Contact.objects.filter(council_id__in={letter.council_id for letter in letters}, is_current=True):
        contacts.setdefault(contact.council_id, []).append(contact)
    existing = set(OutboxMessage.objects.filter(letter__in=letters).values_list("idempotency_key", flat=True))
    result, rows, events = SendRequest(), [], []
    now = timezone.now()
    for letter in letters:
        recipients = letter_recipients(contacts.get(letter.council_id, []))
        if not recipients:
            result.without_chief_executive.append(letter)
            continue
        new = []
        for recipient in recipients:
            row = outbox_row(letter, recipient.email, role=recipient.role, kind=recipient.kind, now=now, by=by)
            if row.idempotency_key not in existing:
                new.append(row)
        if new:
            rows.extend(new)
            result.letters.append(letter)
            comment = f"{len(new)} email{'s' if len(new) != 1 else ''} queued" + ("" if by else " on the letter date")
            events.append(LetterEvent(letter=letter, action=LetterAction.SEND_REQUESTED, by=by, comment=comment))
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)  # the database checks both
    created = OutboxMessage.objects.bulk_create(rows)
    LetterEvent.objects.bulk_create(events)
    result.messages = len(created)
    transaction.on_commit(partial(outbox_enqueue, [row.pk for row in created]))
    return result


def letter_date_due(letter_date: datetime.date, *, now: datetime.datetime | None = None) -> bool:
    """Whether letters of this date go out now: from SEND_FROM on the letter date (the rule
    letters_send_due applies in SQL). Approving such a letter sends it at once."""
    now = timezone.localtime(now or timezone.now())
    return letter_date < now.date() or (letter_date == now.date() and now.time() >= SEND_FROM)


def letters_send_due(*, now: datetime.datetime | None = None) -> list[SendRequest]:
    """Queue the emails of approved letters whose letter date has come (from SEND_FROM on the
    day). Safe to run as often as wanted."""
    now = timezone.localtime(now or timezone.now())
    due = Q(letter_date__lt=now.date()) | (Q(letter_date=now.date()) if now.time() >= SEND_FROM else Q(pk__in=[]))
    years = ReviewYear.objects.filter(due, letters__status=LetterStatus.APPROVED).distinct().order_by("label")
    results = []
    for review_year in years:
        result = letters_send(review_year=review_year)
        results.append(result)
        if result.without_chief_executive:
            logger.warning(
                "%s: %s approved letter(s) not sent, no current chief executive",
                review_year,
                len(result.without_chief_executive),
            )
    return results


class LetterOutbox(Outbox):
    """The annual letters' emails: a letter becomes sent when its chief executive's copy is accepted."""

    model = OutboxMessage

    def rows(self):
        return OutboxMessage.objects.select_related("letter__council", "letter__review_year")

    def email(self, message):
        return message_email(message)

    def cancelled_because(self, message) -> str:
        return "" if message.letter.is_issued else "Not sent: the letter is no longer approved."

    def sent(self, message, now) -> None:
        if message.kind == CopyKind.TO:
            became_sent = AnnualLetter.objects.filter(pk=message.letter_id, status=LetterStatus.APPROVED).update(
                status=LetterStatus.SENT, sent_at=now, updated_at=now
            )
            if became_sent:
                event_record(
                    letter=message.letter,
                    action=LetterAction.SENT,
                    comment="The mail server accepted the chief executive's email.",
                )

    def failed(self, message, reason: str) -> None:
        event_record(
            letter=message.letter,
            action=LetterAction.DELIVERY_FAILED,
            comment=f"{message.get_role_display()} ({message.recipient}): {reason}"[:ERROR_MAX_CHARS],
        )

    def enqueue(self, message_ids: list[int]) -> None:
        outbox_enqueue(message_ids)


LETTERS = LetterOutbox()


def outbox_enqueue(message_ids: list[int]) -> None:
    """Hand each row to the send task (ombudsman.outbox.send.Outbox.enqueue_each)."""
    LETTERS.enqueue_each(outbox_message_send_task, message_ids)


# Sending -------------------------------------------------------------------------------------


def outbox_message_send(*, message_id: int) -> bool:
    """Send one outbox row if this call wins its claim (ombudsman.outbox.send.Outbox.send)."""
    return LETTERS.send(message_id, mark_sent=_mark_sent)


def _mark_sent(message: OutboxMessage) -> None:
    LETTERS.mark_sent(message)


def outbox_mark_failed(*, message_id: int, error: str) -> bool:
    """After the task's last retry (or an unexpected error): the row is failed, not lost."""
    return LETTERS.mark_failed(message_id, error)


def outbox_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again rows whose worker died while sending and queued rows whose task was lost."""
    return LETTERS.sweep(now=now)


@transaction.atomic
def outbox_resend(*, message: OutboxMessage, by) -> OutboxMessage:
    """Send a failed email again: to the same address if it is still the council's contact
    for that role, otherwise to the role's current address (a new row)."""
    message = OutboxMessage.objects.select_for_update().select_related("letter").get(pk=message.pk)
    letter = message.letter
    if message.status != Status.FAILED:
        raise ValidationError("Only an email that failed can be sent again.")
    if not letter.is_issued:
        raise ValidationError("This version of the letter is no longer approved, so it cannot be sent.")
    contact = Contact.objects.filter(council_id=letter.council_id, role=message.role, is_current=True).first()
    if contact is None:
        raise ValidationError(
            f"The council has no current {message.get_role_display().lower()}. Add one, then send again."
        )
    email = contact.email.strip().lower()
    if email == message.recipient:
        LETTERS.requeue(message.pk, by=by)  # the same row: queued again, handed to its task on commit
        message.refresh_from_db()
        target = message
    else:
        if OutboxMessage.objects.filter(letter=letter, recipient=email).exists():
            raise ValidationError(f"This letter has already been emailed to {email}.")
        target = outbox_row(letter, email, role=message.role, kind=message.kind, now=timezone.now(), by=by)
        target.full_clean()
        target.save()
        transaction.on_commit(partial(outbox_enqueue, [target.pk]))
    event_record(
        letter=letter,
        action=LetterAction.RESENT,
        by=by,
        comment=f"{target.get_role_display()} ({target.recipient})",
    )
    return target
