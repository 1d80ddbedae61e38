"""Letters in each state of their life, for the portal and public page tests."""

import datetime

from reviews.models import AnnualLetter, LetterStatus
from tests import factories

LONDON = datetime.timezone(datetime.timedelta(hours=1))  # British Summer Time, when letters go out


def letter_in(council, review_year, status: str, *, version: int = 1, sent_at=None) -> AnnualLetter:
    """A rendered letter moved to `status` the way approval and sending move it."""
    if status in (LetterStatus.PENDING, LetterStatus.RENDERING):
        return factories.AnnualLetterFactory(council=council, review_year=review_year, version=version, status=status)
    letter = factories.AnnualLetterFactory(council=council, review_year=review_year, version=version, ready=True)
    values = {"status": status}
    if status in (LetterStatus.SENT, LetterStatus.SUPERSEDED) or sent_at is not None:
        values["sent_at"] = sent_at or datetime.datetime.combine(
            review_year.letter_date, datetime.time(9), tzinfo=LONDON
        )
    if status in (LetterStatus.APPROVED, LetterStatus.SENT, LetterStatus.SUPERSEDED):
        values["approved_at"] = values.get("sent_at") or datetime.datetime.now(datetime.UTC)
    AnnualLetter.objects.filter(pk=letter.pk).update(**values)
    letter.refresh_from_db()
    return letter


def sent_letter(council, review_year, **kwargs) -> AnnualLetter:
    return letter_in(council, review_year, LetterStatus.SENT, **kwargs)


def day(review_year, *, before_publication: bool) -> datetime.datetime:
    """Noon in London on the day before, or on, the year's publication date."""
    date = review_year.publication_date - datetime.timedelta(days=1 if before_publication else 0)
    return datetime.datetime.combine(date, datetime.time(12), tzinfo=LONDON)


def sent_letters_for_years(council, first: int, last: int) -> None:
    """A sent letter to the council for each review year starting first .. last, each year published."""
    for start in range(first, last + 1):
        review_year = factories.ReviewYearFactory(label=f"{start}-{(start + 1) % 100:02d}")
        sent_letter(council, review_year)
        publish(review_year)


def publish(review_year, *, by=None, now=None):
    """Publish the year through the service, at noon on its publication date unless `now` says."""
    from reviews.publication.services import review_year_publish

    return review_year_publish(review_year=review_year, by=by, now=now or day(review_year, before_publication=False))
