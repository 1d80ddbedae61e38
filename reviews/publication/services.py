"""Every write of publication: reasons for councils without a letter, publishing, withdrawing.

- A year is published in one transaction: `published_at` / `published_by` and a
  PublicationEvent, under a lock on the year, only when its checklist allows it
  (reviews.publication.checklist). Before that moment no public page, file or feed shows the
  year; from it, all of it (reviews.models.ReviewYearQuerySet.published()).
- The scheduled check (`review_years_publish_due`) publishes a year by itself only when its date
  has come and nothing is missing; it never republishes a withdrawn year (a manager does).
- Withdrawing a published year is a manager's action with a reason: the year leaves every public
  page and file at once, and the public sees "withdrawn on <date>: <reason>" until it is
  published again.
- A reason why a council has no sent letter can be recorded, changed or removed until the year
  is published: what was published stays what it was.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from councils.models import Council
from reviews.models import AnnualLetter, NoLetterReason, PublicationAction, PublicationEvent, ReviewYear
from reviews.publication.checklist import active_councils, publication_checklist

logger = logging.getLogger(__name__)


def _clean(text: str) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def _locked(review_year: ReviewYear) -> ReviewYear:
    return ReviewYear.objects.select_for_update().get(pk=review_year.pk)


@transaction.atomic
def no_letter_reason_record(*, review_year: ReviewYear, council: Council, reason: str, by) -> NoLetterReason | None:
    """Record (or with an empty reason remove) why a council active in the year has no sent letter."""
    review_year = _locked(review_year)
    if review_year.is_published:
        raise ValidationError(
            f"{review_year.label} is published, so its reasons cannot change. Withdraw the year first."
        )
    if not active_councils(review_year).filter(pk=council.pk).exists():
        raise ValidationError(f"{council.formal_name} is not active in {review_year.label}.")
    if AnnualLetter.objects.sent().filter(review_year=review_year, council=council).exists():
        raise ValidationError(f"The letter to {council.formal_name} for {review_year.label} has been sent.")
    reason = _clean(reason)
    existing = NoLetterReason.objects.select_for_update().filter(review_year=review_year, council=council).first()
    if not reason:
        if existing is not None:
            existing.delete()
        return None
    row = existing or NoLetterReason(review_year=review_year, council=council)
    row.reason, row.recorded_by, row.recorded_at = reason, by, timezone.now()
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def review_year_publish(*, review_year: ReviewYear, by=None, now: datetime.datetime | None = None) -> ReviewYear:
    """Publish a year (or republish a withdrawn one). Raises ValidationError with every reason
    it cannot be published now. `by` is None for the scheduled check."""
    now = now or timezone.now()
    review_year = _locked(review_year)
    checklist = publication_checklist(review_year, today=timezone.localdate(now))
    reasons = checklist.blockers()
    if reasons:
        raise ValidationError(reasons, code="refused")
    action = PublicationAction.REPUBLISHED if review_year.withdrawn_at else PublicationAction.PUBLISHED
    review_year.published_at, review_year.published_by = now, by
    review_year.withdrawn_at, review_year.withdrawn_by, review_year.withdrawn_reason = None, None, ""
    review_year.full_clean()
    review_year.save(
        update_fields=["published_at", "published_by", "withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"]
    )
    PublicationEvent.objects.create(review_year=review_year, action=action, by=by, at=now)
    logger.info("Review year %s %s by %s", review_year, action, by or "the scheduled check")
    return review_year


@transaction.atomic
def review_year_withdraw(*, review_year: ReviewYear, by, reason: str) -> ReviewYear:
    """Take a published year off the public pages and files, with a reason shown publicly."""
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": "Say why the year is withdrawn"})
    review_year = _locked(review_year)
    if not review_year.is_published:
        raise ValidationError(f"{review_year.label} is not published, so it cannot be withdrawn.", code="refused")
    now = timezone.now()
    review_year.published_at, review_year.published_by = None, None
    review_year.withdrawn_at, review_year.withdrawn_by, review_year.withdrawn_reason = now, by, reason
    review_year.full_clean()
    review_year.save(
        update_fields=["published_at", "published_by", "withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"]
    )
    event = PublicationEvent(review_year=review_year, action=PublicationAction.WITHDRAWN, by=by, at=now, comment=reason)
    event.full_clean()
    event.save()
    logger.warning("Review year %s withdrawn by %s: %s", review_year, by, reason)
    return review_year


def review_years_publish_due(*, now: datetime.datetime | None = None) -> list[ReviewYear]:
    """The scheduled check: publish every year whose date has come and that misses nothing
    (each in its own transaction). Withdrawn years wait for a manager. Returns the years published."""
    now = now or timezone.now()
    due = ReviewYear.objects.filter(
        published_at__isnull=True, withdrawn_at__isnull=True, publication_date__lte=timezone.localdate(now)
    ).order_by("label")
    published = []
    for review_year in due:
        if not publication_checklist(review_year, today=timezone.localdate(now)).can_publish:
            continue
        try:
            published.append(review_year_publish(review_year=review_year, now=now))
        except ValidationError:  # a letter or reason changed meanwhile: the next check tries again
            continue
    return published
