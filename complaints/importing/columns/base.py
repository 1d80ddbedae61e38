"""What every column shares: the file's headers, the Row being cleaned, the worked Example a
column writes its cells from, and Column, the class each column is.

Every row of a large file runs every column, so the cells are looked up by value in
precomputed tables (Lookups: councils and categories by every spelling the file may use,
each distinct date cell parsed once) and each column's fast path is a dictionary lookup.
"""

import datetime
import re
from dataclasses import dataclass

from complaints.bulk import NewCase, NewRecommendation
from complaints.importing.lookups import Lookups
from complaints.models import (
    Category,
    ComplianceResult,
    Outcome,
    UpheldKind,
)
from councils.models import Council
from ombudsman.csvio import RowError

DECISION_COLUMNS = [
    "reference",
    "council_gss_code",
    "received_on",
    "category",
    "decided_on",
    "outcome",
    "upheld_kind",
    "compliance_outcome",
    "compliance_recorded_on",
]
OPTIONAL_COLUMNS = ["subcategory", "summary", "recommendations", "received_against_gss_code"]

REFERENCE_EXACT_RE = re.compile(r"^\d{2} \d{3} \d{3}$", re.ASCII)
OUTCOMES = frozenset(Outcome.values)
UPHELD_KINDS = frozenset(UpheldKind.values)
COMPLIANCE_RESULTS = frozenset(ComplianceResult.values)
UPHELD = Outcome.UPHELD.value
REMEDIES_RECOMMENDED = UpheldKind.INJUSTICE_REMEDY_RECOMMENDED.value


def _choices(values) -> str:
    return ", ".join(values)


class Row:
    """The row being cleaned: its line, its problems so far, and each column's value. One Row
    serves every row of a file (each column sets its value on every row; the checker empties
    `problems`), so a large file builds no object per row until its NewCase."""

    __slots__ = (
        "category_id",
        "compliance_outcome",
        "compliance_recorded_on",
        "council",
        "decided_on",
        "line",
        "outcome",
        "problems",
        "received_against",
        "received_on",
        "recommendations",
        "reference",
        "remedied",
        "subcategory_id",
        "summary",
        "upheld_kind",
    )

    def __init__(self):
        self.line = 0
        self.problems: list[tuple[str, str]] = []

    def case(self) -> NewCase:
        return NewCase(
            reference=self.reference,
            council_id=self.council.id,
            received_on=self.received_on,
            received_against_id=self.received_against.id if self.received_against is not None else None,
            category_id=self.category_id,
            subcategory_id=self.subcategory_id,
            summary=self.summary,
            decided_on=self.decided_on,
            outcome=self.outcome,
            upheld_kind=self.upheld_kind,
            recommendations=self.recommendations,
            compliance_outcome=self.compliance_outcome,
            compliance_recorded_on=self.compliance_recorded_on,
        )


@dataclass
class Example:
    """A worked example of a row, as a person would describe it (each column writes its cells)."""

    reference: str
    council: Council
    received_on: datetime.date
    category: Category
    decided_on: datetime.date
    outcome: str
    upheld_kind: str = ""
    compliance_outcome: str = ""
    compliance_recorded_on: datetime.date | None = None
    subcategory: Category | None = None
    summary: str = ""
    recommendations: tuple[NewRecommendation, ...] = ()
    received_against: Council | None = None


def _date_cell(day: datetime.date | None) -> str:
    return day.isoformat() if day is not None else ""


class Column:
    """A column of the file: `name` is its header (and the column its errors name by default)."""

    name = ""

    @staticmethod
    def cells(example: Example) -> dict[str, str]:
        """The example's cells in this column (by header), as `clean` reads them back."""
        raise NotImplementedError

    def __init__(self, at: dict[str, int], lookups: Lookups, warnings: list[RowError]):
        self.index = at.get(self.name)  # None: an optional column the file does not have
        self.lookups = lookups
        self.warnings = warnings
        self.date = lookups.date
        self.known_date = lookups.dates.get  # the answer for a cell value already seen, or None

    def clean(self, cells: list[str], row: Row) -> None:
        raise NotImplementedError


def _council(council: Council) -> str:
    return f"{council.name} ({council.gss_code})"


def _councils(councils) -> str:
    return ", ".join(map(_council, councils))


def _active_on(council: Council, day: datetime.date) -> bool:
    return (council.active_from is None or council.active_from <= day) and (
        council.active_to is None or council.active_to >= day
    )
