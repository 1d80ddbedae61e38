"""A council's year as its sent letter printed it: figures read from the letter's frozen
snapshot, so later casework never changes a figure a council was sent or the public sees.
Read by the council portal and the public pages alike."""

from dataclasses import dataclass
from decimal import Decimal

from ombudsman.formatting import counted, per_100k_in_table, percentage
from reviews.models import shows_per_100k
from reviews.statistics.figures import STATISTICS, few_cases

# The complaint overview a letter from 2024-25 froze, in the letter's order.
OVERVIEW_COUNTS = (
    ("dealt_with", "Complaints dealt with"),
    ("not_for_us", "Not for us or not ready for us to investigate"),
    ("assessed_closed", "Assessed and closed"),
    ("investigations", "Investigated"),
)


@dataclass(frozen=True)
class Statistic:
    """One statistic of one council and year, against its type's average."""

    key: str
    title: str
    value: Decimal | None
    average: Decimal | None
    per_100k: bool = False
    based_on: str = ""
    few_cases: bool = False  # a percentage resting on fewer than FEW_CASES cases (DOMAIN.md "Small numbers")

    @property
    def text(self) -> str:
        """As the statistics table prints it (letters print their own words)."""
        return per_100k_in_table(self.value) if self.per_100k else percentage(self.value)

    @property
    def average_text(self) -> str:
        return per_100k_in_table(self.average) if self.per_100k else percentage(self.average)

    @property
    def no_figure(self) -> str:
        return NO_FIGURE[self.key]


NO_FIGURE = {
    "uphold_rate": "No investigations",
    "compliance_rate": "No compliance outcomes",
    "satisfactory_rate": "No upheld decisions",
    "upheld_per_100k": "No population estimate",
}
STATISTIC_TITLES = {
    "uphold_rate": "Complaints upheld",
    "compliance_rate": "Compliance with recommendations",
    "satisfactory_rate": "Satisfactory remedy provided by the council",
    "upheld_per_100k": "Upheld decisions per 100,000 residents",
}


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@dataclass(frozen=True)
class LetterFigures:
    """What one sent letter says about its council's year, read from its snapshot."""

    label: str
    letter_format: str
    average_method: str
    population_year: int
    counts: dict
    figures: dict
    average: dict | None

    @classmethod
    def from_snapshot(cls, snapshot: dict, average: dict | None = None) -> "LetterFigures":
        """`average` replaces the snapshot's own (the year's average on public pages)."""
        year = snapshot["year"]
        return cls(
            label=year["label"],
            letter_format=year["letter_format"],
            average_method=year["average_method"],
            population_year=year["population_year"],
            counts=snapshot["counts"],
            figures=snapshot["figures"],
            average=snapshot["average"] if average is None else average,
        )

    @property
    def shows_per_100k(self) -> bool:
        return shows_per_100k(self.letter_format)

    def value(self, key: str) -> Decimal | None:
        if key == "upheld_per_100k" and not self.shows_per_100k:
            return None
        return _decimal(self.figures.get(key))

    def average_value(self, key: str) -> Decimal | None:
        if key == "upheld_per_100k" and not self.shows_per_100k:
            return None
        return _decimal((self.average or {}).get(key))

    @property
    def statistics(self) -> list[Statistic]:
        keys = STATISTICS if self.shows_per_100k else STATISTICS[:3]
        flags = few_cases(self.counts)
        return [
            Statistic(
                key=key,
                title=STATISTIC_TITLES[key],
                value=self.value(key),
                average=self.average_value(key),
                per_100k=key == "upheld_per_100k",
                based_on=self.based_on(key),
                few_cases=bool(flags.get(key)),
            )
            for key in keys
        ]

    def based_on(self, key: str) -> str:
        """What the figure is a share of; empty where there is no figure."""
        counts = self.counts
        match key:
            case "uphold_rate" if counts["investigations"]:
                return f"{counted(counts['upheld'], 'upheld decision', grouped=True)} of {counted(counts['investigations'], 'investigation', grouped=True)}"
            case "compliance_rate" if counts["compliance_outcomes"]:
                return f"{counts['complied']:,} of {counted(counts['compliance_outcomes'], 'compliance outcome', grouped=True)}"
            case "satisfactory_rate" if counts["upheld"]:
                return f"{counts['satisfactory']:,} of {counted(counts['upheld'], 'upheld decision', grouped=True)}"
            case "upheld_per_100k" if counts.get("population"):
                return f"Population {counts['population']:,} (mid-{self.population_year})"
        return ""

    @property
    def has_few_cases(self) -> bool:
        return any(few_cases(self.counts).values())

    @property
    def overview(self) -> list[tuple[str, int]]:
        """(label, count) of the complaint overview; empty for a letter that did not print one."""
        if "dealt_with" not in self.counts:
            return []
        return [(label, self.counts[key]) for key, label in OVERVIEW_COUNTS]

    @property
    def population(self) -> int | None:
        return self.counts.get("population") if self.shows_per_100k else None
