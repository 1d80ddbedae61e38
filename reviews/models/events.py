"""A letter's history: every approval action is a LetterEvent, never changed. ActionEvent holds
the fields a letter's and a review year's histories share.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ombudsman.history import track
from reviews.models.letters import AnnualLetter


class LetterAction(models.TextChoices):
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for changes"
    PARAGRAPH = "paragraph", "Council paragraph changed"
    REISSUED = "reissued", "Reissued"
    SEND_REQUESTED = "send_requested", "Sending requested"
    SENT = "sent", "Sent to the chief executive"
    DELIVERY_FAILED = "delivery_failed", "Email could not be delivered"
    RESENT = "resent", "Email sent again"


class ActionEvent(models.Model):
    """Who did an action (empty for the system) and when, with a comment: the fields of a letter's
    and a review year's histories."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the system (scheduled sending and publication, the mail server).",
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        abstract = True


@track(model_name="LetterEventHistory")
class LetterEvent(ActionEvent):
    """One action on one version of a letter, shown as the letter's history. Never changed."""

    Action = LetterAction

    letter = models.ForeignKey(AnnualLetter, on_delete=models.PROTECT, related_name="actions")
    action = models.CharField(max_length=20, choices=LetterAction.choices)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=LetterAction.values), name="letter_event_action_valid"),
            models.CheckConstraint(
                condition=~Q(action__in=(LetterAction.RETURNED, LetterAction.REISSUED)) | ~Q(comment=""),
                name="letter_event_reason_given",
                violation_error_message="Say why.",
            ),
        ]
        indexes = [models.Index(fields=["letter", "at"], name="letter_event_letter_at")]

    def __str__(self) -> str:
        return f"{self.letter}: {self.get_action_display()} at {self.at:%d/%m/%Y %H:%M}"
