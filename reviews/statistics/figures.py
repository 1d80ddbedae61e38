"""A council's counts and the figures computed from them, in exact integer arithmetic.

Rates are exact fractions of integers rounded half up (DOMAIN.md: 79.49 -> 79, 86.9 -> 87,
7.55 -> 8): percentages to whole numbers, the figure per 100,000 to one decimal place. A zero
denominator is no figure (None), never 0%. How figures are printed is ombudsman.formatting's.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

STATISTICS = ("uphold_rate", "compliance_rate", "satisfactory_rate", "upheld_per_100k")

# Small numbers (DOMAIN.md): a percentage resting on fewer than this many cases is flagged
# wherever it is shown (letter notes, public pages, open data). Each rate's cases are its
# denominator's count.
FEW_CASES = 10
RATE_CASES = {"uphold_rate": "investigations", "compliance_rate": "compliance_outcomes", "satisfactory_rate": "upheld"}


def rests_on_few_cases(cases: int | None) -> bool | None:
    """True when a rate rests on 1 to 9 cases; None when there is no rate (no cases at all)."""
    if not cases:
        return None
    return cases < FEW_CASES


def few_cases(counts: dict) -> dict[str, bool | None]:
    """Per percentage statistic: whether it rests on fewer than FEW_CASES cases (None: no figure)."""
    return {key: rests_on_few_cases(counts.get(cases)) for key, cases in RATE_CASES.items()}


def rounded(numerator: int, denominator: int, *, scale: int = 100, places: int = 0) -> Decimal | None:
    """numerator / denominator x scale, rounded half up to `places` decimals, in exact integer
    arithmetic (no float, no division error); None when the denominator is 0."""
    if not denominator:
        return None
    quantum = 10**places
    units = (2 * numerator * scale * quantum + denominator) // (2 * denominator)
    return Decimal(units).scaleb(-places) if places else Decimal(units)


def percentage_of(fraction: Fraction | None) -> Decimal | None:
    return None if fraction is None else rounded(fraction.numerator, fraction.denominator)


def per_100k_of(fraction: Fraction | None) -> Decimal | None:
    return None if fraction is None else rounded(fraction.numerator, fraction.denominator, scale=100_000, places=1)


def ratio(numerator: int, denominator: int | None) -> Fraction | None:
    """numerator / denominator, or None (no figure) when nothing was measured."""
    if not denominator:
        return None
    return Fraction(numerator, denominator)


@dataclass(frozen=True)
class Counts:
    investigations: int = 0
    upheld: int = 0
    satisfactory: int = 0
    compliance_outcomes: int = 0
    complied: int = 0
    population: int | None = None
    dealt_with: int = 0
    not_for_us: int = 0
    assessed_closed: int = 0

    def figures(self) -> "Figures":
        """The council's own figures, straight from the integers."""
        return Figures(
            uphold_rate=rounded(self.upheld, self.investigations),
            compliance_rate=rounded(self.complied, self.compliance_outcomes),
            satisfactory_rate=rounded(self.satisfactory, self.upheld),
            upheld_per_100k=rounded(self.upheld, self.population or 0, scale=100_000, places=1),
        )

    def fractions(self) -> dict[str, Fraction | None]:
        return {
            "uphold_rate": ratio(self.upheld, self.investigations),
            "compliance_rate": ratio(self.complied, self.compliance_outcomes),
            "satisfactory_rate": ratio(self.satisfactory, self.upheld),
            "upheld_per_100k": ratio(self.upheld, self.population),
        }


@dataclass(frozen=True)
class Figures:
    """Rounded figures; None where there is no figure."""

    uphold_rate: Decimal | None = None
    compliance_rate: Decimal | None = None
    satisfactory_rate: Decimal | None = None
    upheld_per_100k: Decimal | None = None

    @classmethod
    def from_fractions(cls, fractions: dict[str, Fraction | None]) -> "Figures":
        return cls(
            uphold_rate=percentage_of(fractions["uphold_rate"]),
            compliance_rate=percentage_of(fractions["compliance_rate"]),
            satisfactory_rate=percentage_of(fractions["satisfactory_rate"]),
            upheld_per_100k=per_100k_of(fractions["upheld_per_100k"]),
        )

    def as_json(self) -> dict[str, str | None]:
        return {name: None if getattr(self, name) is None else str(getattr(self, name)) for name in STATISTICS}
