"""Sending outbox rows: every row sent exactly once, whatever the app.

- A task claims its row with a conditional UPDATE (queued -> sending, or sending for longer than
  SENDING_TIMEOUT), so a duplicate or re-delivered task finds nothing to do; it sends over its own
  connection and marks the row sent before closing the connection. Transient failures (connection
  errors, 4xx replies) give the claim back and the task retries with exponential backoff; 5xx
  replies mark the row failed with the server's reason; giving up after the last retry marks it
  failed too.
- Residual window: a worker that dies after the server accepted the message and before the row is
  marked sent leaves the row in `sending`; the sweep re-queues it after SENDING_TIMEOUT and the
  server receives a second copy with the same Message-ID (which mail systems that de-duplicate by
  Message-ID drop). No other path sends a second copy.
- The sweep queues again rows whose worker died while sending and queued rows whose task was lost.

An app subclasses Outbox with what its rows mean: the email of a row, whether it is still wanted,
what being sent or failing means for what it carries, and how a row is handed to its task.
"""

import contextlib
import datetime
import logging
import smtplib
from functools import partial

from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ombudsman.outbox.policy import (
    ERROR_MAX_CHARS,
    QUEUED_TIMEOUT,
    SENDING_TIMEOUT,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from ombudsman.outbox.rows import OutboxRow, OutboxStatus

logger = logging.getLogger(__name__)

Status = OutboxStatus


def smtp_failure(exc: BaseException) -> tuple[bool, str]:
    """(transient?, reason) for an exception raised while sending."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        reason = "; ".join(f"{code} {_text(text)}" for code, text in replies)
        return all(400 <= code < 500 for code, _ in replies), reason
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected):
        return True, f"{type(exc).__name__}: {exc}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500, f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPException):  # no reply code: configuration (TLS, auth methods)
        return False, f"{type(exc).__name__}: {exc}"
    if isinstance(exc, OSError | SoftTimeLimitExceeded | TransientDeliveryError):
        return True, f"{type(exc).__name__}: {exc}"
    return False, f"{type(exc).__name__}: {exc}"


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class Outbox:
    """The sending of one kind of outbox row. Subclasses say what the rows mean."""

    model: type[OutboxRow]

    def rows(self) -> QuerySet:
        """The rows, with what `email`, `sent` and `failed` read (select_related)."""
        return self.model.objects.all()

    def email(self, message) -> EmailMessage:
        """The email of a row, to its recipient. Raise PermanentDeliveryError if it can never be made."""
        raise NotImplementedError

    def cancelled_because(self, message) -> str:
        """Why a claimed row must not be sent after all ("" to send it)."""
        return ""

    def sent(self, message, now: datetime.datetime) -> None:
        """What the server's acceptance means for what the row carries (in the marking transaction)."""

    def failed(self, message, reason: str) -> None:
        """Record a failure where staff see it (in the marking transaction)."""

    def enqueue(self, message_ids: list[int]) -> None:
        """Hand each row to the app's send task."""
        raise NotImplementedError

    # The machinery ---------------------------------------------------------------------------

    def enqueue_each(self, task, message_ids: list[int]) -> None:
        """task.delay(id) for each row. Without a broker the task runs here and now; a row whose
        task could not be queued stays queued and the sweep queues it again."""
        for message_id in message_ids:
            try:
                task.delay(message_id)
            except Retry as retry:  # run in process (no broker): the row waits in the queue for the sweep
                logger.warning("Outbox message %s not sent yet: %s", message_id, retry.exc)
            except Exception:
                logger.exception("Could not queue or send outbox message %s", message_id)

    def send(self, message_id: int, *, mark_sent=None) -> bool:
        """Send one row if this call wins its claim. Returns whether it sent. Raises
        TransientDeliveryError when the task should try again later. `mark_sent(message)` records
        the acceptance (default: self.mark_sent)."""
        claim = timezone.now()
        claimed = (
            self.model.objects.filter(pk=message_id)
            .filter(Q(status=Status.QUEUED) | Q(status=Status.SENDING, claimed_at__lt=claim - SENDING_TIMEOUT))
            .update(status=Status.SENDING, claimed_at=claim, attempts=F("attempts") + 1)
        )
        if not claimed:  # sent, failed, cancelled, or another worker is sending it
            return False
        message = self.rows().get(pk=message_id)
        mine = self.model.objects.filter(pk=message_id, status=Status.SENDING, claimed_at=claim)
        reason = self.cancelled_because(message)
        if reason:
            mine.update(status=Status.CANCELLED, last_error=reason)
            return False
        connection = get_connection(fail_silently=False)
        try:
            try:
                email = self.email(message)
                connection.open()
                connection.send_messages([email])
            except PermanentDeliveryError as exc:
                self._fail(message, claim, str(exc))
                return False
            except Exception as exc:
                transient, reason = smtp_failure(exc)
                if not transient:
                    self._fail(message, claim, reason)
                    return False
                mine.update(status=Status.QUEUED, claimed_at=None, queued_at=timezone.now(), last_error=reason)
                raise TransientDeliveryError(reason) from exc
            (mark_sent or self.mark_sent)(message)
            return True
        finally:
            with contextlib.suppress(Exception):  # recorded already: a failed QUIT changes nothing
                connection.close()

    def mark_sent(self, message) -> None:
        """Recorded whatever happened to the claim meanwhile: the server has the message."""
        now = timezone.now()
        with transaction.atomic():
            self.model.objects.filter(pk=message.pk).exclude(status=Status.SENT).update(
                status=Status.SENT, sent_at=now, last_error=""
            )
            self.sent(message, now)

    def _fail(self, message, claim, reason: str) -> None:
        with transaction.atomic():
            failed = self.model.objects.filter(pk=message.pk, status=Status.SENDING, claimed_at=claim).update(
                status=Status.FAILED, last_error=reason[:ERROR_MAX_CHARS] or "Unknown error", claimed_at=None
            )
            if failed:
                self.failed(message, reason)

    def mark_failed(self, message_id: int, error: str) -> bool:
        """After the task's last retry (or an unexpected error): the row is failed, not lost. A row
        another worker is sending now is left to it."""
        with transaction.atomic():
            message = self.rows().select_for_update(of=("self",)).filter(pk=message_id, status=Status.QUEUED).first()
            if message is None:
                return False
            reason = f"Gave up after {message.attempts} attempt{'s' if message.attempts != 1 else ''}: {error}"
            message.status, message.last_error = Status.FAILED, reason[:ERROR_MAX_CHARS]
            message.save(update_fields=["status", "last_error"])
            self.failed(message, reason)
            return True

    def requeue(self, message_id: int, *, by=None) -> bool:
        """Queue a failed row again, as staff asked: the same row (its idempotency key and
        Message-ID), its attempts from zero, handed to its task on commit. Never a second row, so
        the email still goes at most once. Returns False (and changes nothing) unless the row had
        failed. Call it inside the caller's transaction."""
        requeued = self.model.objects.filter(pk=message_id, status=Status.FAILED).update(
            status=Status.QUEUED,
            attempts=0,
            last_error="",
            claimed_at=None,
            queued_at=timezone.now(),
            requested_by=by,
        )
        if requeued:
            transaction.on_commit(partial(self.enqueue, [message_id]))
        return bool(requeued)

    def sweep(self, *, now: datetime.datetime | None = None) -> list[int]:
        """Queue again the rows whose worker died while sending (in `sending` for longer than
        SENDING_TIMEOUT) and queued rows whose task was lost (waiting longer than QUEUED_TIMEOUT).
        Returns their ids."""
        now = now or timezone.now()
        with transaction.atomic():
            stuck = list(
                self.model.objects.select_for_update(skip_locked=True)
                .filter(status=Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT)
                .values_list("pk", flat=True)
            )
            lost = list(
                self.model.objects.select_for_update(skip_locked=True)
                .filter(status=Status.QUEUED, queued_at__lt=now - QUEUED_TIMEOUT)
                .values_list("pk", flat=True)
            )
            self.model.objects.filter(pk__in=stuck).update(
                status=Status.QUEUED,
                claimed_at=None,
                queued_at=now,
                last_error="The worker stopped while sending; sending again.",
            )
            self.model.objects.filter(pk__in=lost).update(queued_at=now)
            ids = stuck + lost
            if ids:
                transaction.on_commit(partial(self.enqueue, ids))
        if ids:
            logger.info("Queued %s stuck or lost outbox message(s) again", len(ids))
        return ids
