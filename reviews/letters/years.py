"""Review years: what a new year starts with, and every write of a year's settings.

- A new year starts with our default dates, signatory and narrative (`new_year_defaults`);
  managers edit all of it.
- Once any of its letters is approved or sent, a year's letter settings are fixed
  (`review_year_locked`): a change would no longer be what was approved.
- Publishing and withdrawing a year is reviews.publication's.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from ombudsman.formatting import long_date
from ombudsman.periods import ReviewPeriod
from reviews.models import AverageMethod, LetterFormat, ReviewYear

SIGNATORY_NAME = "Patricia Thomas"
SIGNATORY_TITLE = "Local Government and Social Care Ombudsman"
SIGNATORY_TITLE_2 = "Chair, Commission for Local Administration in England"

INTRO = """\
I am writing with our annual summary of statistics on the complaints made to the Local Government and Social Care Ombudsman about your authority for the year ending {end}.

The statistics focus on three areas that show an organisation's commitment to putting things right when they go wrong: complaints upheld, compliance with our recommendations, and satisfactory remedies provided by your authority before the complaint reached us."""

READING_STATISTICS = """\
We uphold complaints when we find fault, including where the organisation accepted fault before we investigated. Compliance shows how often we were satisfied our recommendations had been carried out. A satisfactory remedy means your authority upheld the complaint and we agreed with how it put things right.

We compare each figure with the average of similar authorities: county councils, district councils, metropolitan boroughs, unitary councils or London boroughs."""

RESOURCES = """\
Our website has guidance on good complaint handling, training for staff and councillors, and the decisions we publish, so that your authority can learn from the complaints of others."""

CLOSING = """\
I would encourage you to share this letter with your leader and to consider it at your scrutiny or standards committee."""


def new_year_defaults(period: ReviewPeriod) -> dict:
    """Field values for a new ReviewYear for this period."""
    letter_date = datetime.date(period.start_year + 1, 7, 21)
    return {
        "label": period.label,
        "letter_date": letter_date,
        "publication_date": letter_date + datetime.timedelta(days=7),
        "signatory_name": SIGNATORY_NAME,
        "signatory_title": SIGNATORY_TITLE,
        "signatory_title_2": SIGNATORY_TITLE_2,
        "average_method": AverageMethod.POOLED,
        "letter_format": LetterFormat.for_start_year(period.start_year),
        "population_year": period.start_year - 1,
        "intro": INTRO.format(end=long_date(period.end)),
        "reading_statistics": READING_STATISTICS,
        "resources": RESOURCES,
        "closing": CLOSING,
    }


# Writes ------------------------------------------------------------------------------------

YEAR_FIELDS = (
    "letter_date",
    "publication_date",
    "signatory_name",
    "signatory_title",
    "signatory_title_2",
    "average_method",
    "letter_format",
    "population_year",
    "intro",
    "reading_statistics",
    "resources",
    "closing",
)


def review_year_locked(review_year: ReviewYear) -> bool:
    """Once a letter is approved or sent, the year's letter settings are fixed."""
    return review_year.letters.issued().exists()


def _clean_text(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


@transaction.atomic
def review_year_create(*, label: str, by=None, **values) -> ReviewYear:
    review_year = ReviewYear(label=label.strip(), created_by=by, updated_by=by)
    for name, value in values.items():
        if name not in YEAR_FIELDS:
            raise TypeError(f"Unknown review year field {name!r}")
        setattr(review_year, name, _clean_text(value))
    review_year.full_clean()
    review_year.save()
    return review_year


@transaction.atomic
def review_year_update(*, review_year: ReviewYear, by=None, **values) -> ReviewYear:
    """Change a year's settings. Raises ValidationError once any of its letters is approved."""
    review_year = ReviewYear.objects.select_for_update().get(pk=review_year.pk)
    values = {name: _clean_text(value) for name, value in values.items()}
    unknown = set(values) - set(YEAR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown review year field(s): {', '.join(sorted(unknown))}")
    changed = [name for name, value in values.items() if getattr(review_year, name) != value]
    if not changed:
        return review_year
    if review_year_locked(review_year):
        raise ValidationError(
            f"Letters for {review_year.label} have been approved, so the year's settings can no longer be changed."
        )
    for name in changed:
        setattr(review_year, name, values[name])
    review_year.updated_by = by
    review_year.full_clean()
    review_year.save(update_fields=[*changed, "updated_by", "updated_at"])
    return review_year
