"""What deserves a second look before a letter is approved: its figures beside the type's
average and the council's letter of the year before, and flags for
- a rate based on fewer than 10 cases (DOMAIN.md "Small numbers"),
- a change of 20 percentage points or more from last year's letter,
- a rate of 0% or 100%,
- a council paragraph (words a manager added to this council's letter).
Read from the letters' snapshots and last year's sent letters (one query for all of them)."""

from dataclasses import dataclass, field
from decimal import Decimal

from ombudsman.formatting import percentage
from reviews.models import AnnualLetter, ReviewYear

SMALL_BASE = 10
BIG_CHANGE = 20
# (figure, its base in the counts, what the base counts)
RATES = (
    ("uphold_rate", "investigations", "Complaints upheld", "investigations"),
    ("compliance_rate", "compliance_outcomes", "Compliance", "compliance outcomes"),
    ("satisfactory_rate", "upheld", "Satisfactory remedy", "upheld decisions"),
)


@dataclass(frozen=True)
class RateLine:
    name: str
    council: str
    average: str
    last_year: str
    based_on: str


@dataclass(frozen=True)
class SecondLook:
    letter: AnnualLetter
    rates: list[RateLine]
    flags: list[str] = field(default_factory=list)


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(value)


def last_year_snapshots(review_year: ReviewYear, council_ids) -> dict[int, dict]:
    """Council id -> the snapshot of its letter sent for the year before (latest version sent)."""
    period = review_year.period
    label = f"{period.start_year - 1}-{period.start_year % 100:02d}"
    letters = (
        AnnualLetter.objects.latest_sent()
        .filter(review_year__label=label, council_id__in=list(council_ids))
        .values_list("council_id", "snapshot")
    )
    return dict(letters)


def second_look(letter: AnnualLetter, last_year: dict | None) -> SecondLook:
    figures, counts = letter.snapshot["figures"], letter.snapshot["counts"]
    average = letter.snapshot.get("average") or {}
    before = (last_year or {}).get("figures") or {}
    rates, flags = [], []
    for key, base, name, base_name in RATES:
        value, previous = _decimal(figures.get(key)), _decimal(before.get(key))
        rates.append(
            RateLine(
                name=name,
                council=percentage(value) or "None",
                average=percentage(average.get(key)) or "None",
                last_year=percentage(previous) if last_year is not None else "No letter",
                based_on=f"{counts[base]} {base_name}",
            )
        )
        if value is None:
            continue
        if counts[base] < SMALL_BASE:
            flags.append(
                f"{name}: {percentage(value)} is based on fewer than {SMALL_BASE} {base_name} ({counts[base]})."
            )
        if value in (0, 100):
            flags.append(f"{name} is {percentage(value)}.")
        if previous is not None and abs(value - previous) >= BIG_CHANGE:
            flags.append(
                f"{name} changed by {abs(value - previous):f} points from last year ({percentage(previous)} to "
                f"{percentage(value)})."
            )
    if letter.snapshot.get("paragraph"):
        flags.append("The letter has a council paragraph: read it.")
    return SecondLook(letter=letter, rates=rates, flags=flags)


def second_looks(review_year: ReviewYear, letters: list[AnnualLetter]) -> dict[int, SecondLook]:
    """Letter id -> its figures and flags (one query for last year's letters)."""
    before = last_year_snapshots(review_year, {letter.council_id for letter in letters})
    return {letter.pk: second_look(letter, before.get(letter.council_id)) for letter in letters}
