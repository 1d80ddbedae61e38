"""The outbox row: one email to one recipient, sent exactly once.

Its idempotency key (made by the app from what the email carries and the address) is unique, so
asking to send twice never makes a second row; the Message-ID is derived from the key, so a retry
after a crash is the same message. A concrete row (reviews.OutboxMessage, casefile.
CorrespondenceEmail) adds what it carries and takes its database rules from `outbox_constraints`.
"""

import hashlib
from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed_permanent", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class OutboxRow(models.Model):
    Status = OutboxStatus

    recipient = models.EmailField(max_length=254)
    idempotency_key = models.CharField(max_length=300, unique=True)
    message_id = models.CharField("Message-ID", max_length=300, unique=True)
    status = models.CharField(max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField(default=timezone.now, help_text="When it was last put in the queue.")
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker started sending it.")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the mail server accepted it.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


def outbox_constraints(prefix: str) -> list:
    """The database rules of an outbox row, named `<prefix>_...`."""
    return [
        models.CheckConstraint(condition=Q(status__in=OutboxStatus.values), name=f"{prefix}_status_valid"),
        models.CheckConstraint(condition=Q(recipient__contains="@"), name=f"{prefix}_recipient_is_address"),
        models.CheckConstraint(
            condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False), name=f"{prefix}_sent_has_sent_at"
        ),
        models.CheckConstraint(
            condition=~Q(status=OutboxStatus.FAILED) | ~Q(last_error=""), name=f"{prefix}_failure_has_reason"
        ),
        models.CheckConstraint(
            condition=~Q(status=OutboxStatus.SENDING) | Q(claimed_at__isnull=False),
            name=f"{prefix}_sending_is_claimed",
        ),
    ]


def message_id_for(key: str, *, kind: str = "annual-letter") -> str:
    """A stable Message-ID for an idempotency key: every attempt is the same message."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{kind}.{hashlib.sha256(key.encode()).hexdigest()[:24]}@{domain}>"
