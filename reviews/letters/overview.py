"""The complaint overview that opens the statistics of a letter from 2024-25, its chart, and the
definitions printed under "More about this data" (letters and the public council page).

The overview's sentences are DOMAIN.md's ("The letter from 2024-25"), exactly; the definitions
are our own words. Everything comes from the snapshot's frozen counts (reviews.snapshots).
"""

import datetime
from dataclasses import dataclass

from ombudsman.formatting import counted, long_date

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


@dataclass
class CountsChart:
    """A horizontal bar chart of the four overview counts on one scale (0 to "dealt with"),
    each bar labelled with its name and count. Its title says what it shows; the counts
    themselves are read once, in the sentences."""

    id: str
    title: str
    bars: list[dict]
    label_width: int = 170
    bar_width: int = 200
    value_width: int = 40
    bar_height: int = 12
    pitch: int = 18

    @property
    def width(self) -> int:
        return self.label_width + self.bar_width + self.value_width

    @property
    def height(self) -> int:
        return len(self.bars) * self.pitch

    @classmethod
    def of(cls, counts: dict) -> "CountsChart":
        top = max(counts["dealt_with"], 1)
        chart = cls(
            id="chart-overview",
            title="Bar chart of the complaint overview: complaints dealt with, not for us or not ready for us, "
            "assessed and closed, and investigated.",
            bars=[],
        )
        for index, key in enumerate(OVERVIEW_KEYS):
            y = index * chart.pitch + (chart.pitch - chart.bar_height) // 2
            length = round(counts[key] * chart.bar_width / top, 1)
            chart.bars.append(
                {
                    "key": key,
                    "label": OVERVIEW_LABELS[key],
                    "value": counts[key],
                    "y": y,
                    "text_y": y + chart.bar_height - 2,
                    "x": chart.label_width,
                    "length": length,
                    "value_x": chart.label_width + length + 4,
                }
            )
        return chart


@dataclass
class Overview:
    sentences: list[str]
    chart: CountsChart | None


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
        chart=CountsChart.of(counts) if counts["dealt_with"] else None,
    )


def investigated_and_upheld(counts: dict) -> str:
    """The sentence that opens the upheld block from 2024-25: "We investigated 47 complaints and upheld 39."."""
    return f"We investigated {counted(counts['investigations'], 'complaint')} and upheld {counts['upheld']}."
