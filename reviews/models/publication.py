"""Publishing a review year: each publication, withdrawal and republication is a PublicationEvent;
a council of a year with no sent letter carries at most one NoLetterReason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from councils.models import Council
from ombudsman.history import track
from reviews.models.events import ActionEvent
from reviews.models.years import ReviewYear


class PublicationAction(models.TextChoices):
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REPUBLISHED = "republished", "Republished"


@track()
class PublicationEvent(ActionEvent):
    """One publication, withdrawal or republication of a review year (its public changelog,
    with the letters corrected after publication). Never changed."""

    Action = PublicationAction

    review_year = models.ForeignKey(ReviewYear, on_delete=models.PROTECT, related_name="publication_events")
    action = models.CharField(max_length=12, choices=PublicationAction.choices)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=PublicationAction.values), name="publication_event_action_valid"
            ),
            models.CheckConstraint(
                condition=~Q(action=PublicationAction.WITHDRAWN) | ~Q(comment=""),
                name="publication_event_withdrawal_reason",
                violation_error_message="Say why the year is withdrawn.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_year} {self.get_action_display().lower()} at {self.at:%d/%m/%Y %H:%M}"


@track()
class NoLetterReason(models.Model):
    """Why a council active in a year has no sent letter (no chief executive on record, letter
    withdrawn, ...): recorded by a manager, required to publish the year, shown publicly."""

    review_year = models.ForeignKey(ReviewYear, on_delete=models.CASCADE, related_name="no_letter_reasons")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="no_letter_reasons")
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review_year", "council__name"]
        constraints = [
            models.UniqueConstraint(fields=["review_year", "council"], name="no_letter_reason_one_per_year"),
            models.CheckConstraint(condition=~Q(reason=""), name="no_letter_reason_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.review_year}: {self.reason}"
