"""The complaint overview that opens the statistics of a letter from 2024-25, its chart, and the
definitions printed under "More about this data" (letters and the public council page).

The overview's sentences are DOMAIN.md's ("The letter from 2024-25"), exactly; the definitions
are our own words. Everything comes from the snapshot's frozen counts (reviews.snapshots).
"""

import datetime
from dataclasses import dataclass

from ombudsman.formatting import counted, long_date
from reviews.letters.charts import Chart

OVERVIEW_KEYS = ("dealt_with", "not_for_us", "assessed_closed", "investigations")
OVERVIEW_LABELS = {
    "dealt_with": "Dealt with",
    "not_for_us": "Not for us or not ready for us",
    "assessed_closed": "Assessed and closed",
    "investigations": "Investigated",
}

DEFINITIONS = (
    (
        "Dealt with",
        "Every complaint and enquiry about the authority that we made a decision on in the year, "
        "whatever that decision was. It is the sum of the next three counts.",
    ),
    (
        "Not for us or not ready for us",
        "Complaints we gave advice on, that were incomplete or invalid, or that we sent back to the authority "
        "because it had not yet had the chance to answer them through its own complaints procedure.",
    ),
    (
        "Assessed and closed",
        "Complaints we looked at and closed after our initial enquiries, without going on to investigate them.",
    ),
    (
        "Investigated",
        "Complaints we investigated and decided, whether or not we found fault.",
    ),
    (
        "Upheld",
        "Investigated complaints where we found fault, including those where the authority had accepted fault "
        "before we became involved. The uphold rate is the share of investigated complaints that were upheld.",
    ),
    (
        "Satisfactory remedy",
        "Upheld complaints where the authority had already put things right, in a way we agreed with, "
        "before the complaint reached us.",
    ),
    (
        "Compliance",
        "How often we were satisfied the authority had carried out our recommendations, on time or late, "
        "counted when we recorded the outcome in the year. These are not the same cases as the year's "
        "upheld decisions.",
    ),
    (
        "Averages",
        "The average in similar authorities is the same figure for all authorities of the same type "
        "(county councils, district councils, metropolitan boroughs, unitary councils or London boroughs) "
        "in the year. Upheld decisions per 100,000 residents use the ONS mid-year population estimate.",
    ),
)


OVERVIEW_CHART_TITLE = (
    "Bar chart of the complaint overview: complaints dealt with, not for us or not ready for us, "
    "assessed and closed, and investigated."
)


def counts_chart(counts: dict) -> Chart:
    """The four overview counts as bars on one scale, from 0 to "dealt with" (which is their sum),
    each labelled with its name and count. Its title says what it shows; the counts themselves
    are read once, in the sentences."""
    return Chart.counts(
        "chart-overview", OVERVIEW_CHART_TITLE, [(OVERVIEW_LABELS[key], counts[key]) for key in OVERVIEW_KEYS]
    )


@dataclass
class Overview:
    sentences: list[str]
    chart: Chart | None


def overview_sentences(counts: dict, start: datetime.date, end: datetime.date) -> list[str]:
    """DOMAIN.md's complaint overview; one sentence when the authority had no decisions at all."""
    between = f"Between {long_date(start)} to {long_date(end)}"
    if not counts["dealt_with"]:
        return [f"{between}, we did not deal with any complaints about your authority."]
    not_for_us = counts["not_for_us"]
    return [
        f"{between}, we dealt with {counted(counts['dealt_with'], 'complaint')}. "
        f"Of these, {not_for_us} {'was' if not_for_us == 1 else 'were'} not for us or not ready for us to "
        f"investigate. We assessed and closed {counted(counts['assessed_closed'], 'complaint')}. "
        f"We investigated {counted(counts['investigations'], 'complaint')}."
    ]


def overview(counts: dict, start: datetime.date, end: datetime.date) -> Overview:
    return Overview(
        sentences=overview_sentences(counts, start, end),
        chart=counts_chart(counts) if counts["dealt_with"] else None,
    )


def investigated_and_upheld(counts: dict) -> str:
    """The sentence that opens the upheld block from 2024-25: "We investigated 47 complaints and upheld 39."."""
    return f"We investigated {counted(counts['investigations'], 'complaint')} and upheld {counts['upheld']}."
