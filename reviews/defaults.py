"""What a new review year starts with: dates, signatory and narrative. Managers edit all of it."""

import datetime

from ombudsman.periods import ReviewPeriod
from reviews.models import AverageMethod, LetterFormat

SIGNATORY_NAME = "Patricia Thomas"
SIGNATORY_TITLE = "Local Government and Social Care Ombudsman"
SIGNATORY_TITLE_2 = "Chair, Commission for Local Administration in England"

INTRO = """\
I am writing to you with our annual summary of statistics on the complaints made to the Local Government and Social Care Ombudsman (LGSCO) about your authority for the year ending {end}.

The statistics focus on three key areas that help to assess your organisation's commitment to putting things right when they go wrong: complaints upheld, compliance with our recommendations, and satisfactory remedies provided by your authority before the complaint reached us."""

READING_STATISTICS = """\
Complaints upheld: we uphold complaints when we find fault in an organisation's actions, including where the organisation accepted fault before we investigated. We include the total number of investigations completed to provide important context for the statistic.

Compliance with recommendations: we recommend ways for organisations to put things right when faults have caused injustice and monitor their compliance with our recommendations. Failure to comply is rare and a compliance rate below 100% is a cause for concern.

Satisfactory remedy provided by the authority: in these cases, the organisation upheld the complaint and we agreed with how it offered to put things right. We encourage the early resolution of complaints and credit organisations that accept fault and find appropriate ways to put things right.

Finally, we compare the three key annual statistics for your organisation with similar authorities to provide an average marker of performance. We do this for county councils, district councils, metropolitan boroughs, unitary councils and London boroughs."""

RESOURCES = """\
Our website has guidance for councils on good complaint handling, our Effective Complaint Handling courses for staff and councillors, and the focus reports we publish on the themes we see in our casework.

We also publish the decisions on the complaints we investigate, so that your authority and others can learn from them."""

CLOSING = """\
I would encourage you to share this letter with your leader and chief executive colleagues, and to consider it at your scrutiny or standards committee."""


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
