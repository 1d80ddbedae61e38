"""Emailing letters: every email is an OutboxMessage with a unique idempotency key and Message-ID
(see reviews.delivery).
"""

from django.db import models
from django.db.models import Q

from councils.models import ContactRole
from ombudsman.history import track
from ombudsman.outbox.rows import OutboxRow, outbox_constraints
from ombudsman.outbox.rows import OutboxStatus as OutboxStatus  # the letters' outbox states, named here too
from reviews.models.letters import AnnualLetter


class CopyKind(models.TextChoices):
    TO = "to", "To"
    CC = "cc", "Copy"


def outbox_idempotency_key(letter_id: int, version: int, recipient: str) -> str:
    return f"{letter_id}:{version}:{recipient}"


@track()
class OutboxMessage(OutboxRow):
    """One email of one letter to one recipient (ombudsman.outbox). The idempotency key (letter,
    version, recipient) is unique, so asking to send twice never makes a second message; the
    Message-ID is derived from the key, so a retry after a crash is the same message."""

    Kind = CopyKind

    letter = models.ForeignKey(AnnualLetter, on_delete=models.PROTECT, related_name="outbox_messages")
    role = models.CharField(max_length=24, choices=ContactRole.choices, help_text="The contact's role at the council.")
    kind = models.CharField(max_length=2, choices=CopyKind.choices)

    class Meta:
        ordering = ["letter", "kind", "role", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "recipient"], name="outbox_one_per_letter_recipient"),
            models.CheckConstraint(condition=Q(kind__in=CopyKind.values), name="outbox_kind_valid"),
            models.CheckConstraint(condition=Q(role__in=ContactRole.values), name="outbox_role_valid"),
            *outbox_constraints("outbox"),
        ]
        indexes = [models.Index(fields=["status", "queued_at"], name="outbox_status_queued")]

    def __str__(self) -> str:
        return f"{self.letter} to {self.recipient} ({self.get_status_display()})"
