"""What a new review year starts with: dates, signatory and narrative. Managers edit all of it."""

import datetime

from ombudsman.periods import ReviewPeriod
from reviews.models import AverageMethod, LetterFormat

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
        "intro": INTRO.format(end=f"{period.end.day} {period.end:%B %Y}"),
        "reading_statistics": READING_STATISTICS,
        "resources": RESOURCES,
        "closing": CLOSING,
    }
