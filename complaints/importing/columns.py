"""The columns of a decisions file, each parsed and checked in one place.

As in pretix's order import, each column is a small class with its own `clean()`:
`clean(cells, row)` reads the column's cell, parses it, checks it against the register and
against the columns cleaned before it (their values are on `row`), sets its value on `row`,
and adds each broken rule to `row.problems` as (column, message). `COLUMNS` is the order the
rows checker (importing.rows) cleans them in, so a row's errors always come out in that order.
A rule about two columns belongs to the later one and names the column it reports on (a
council that did not exist on `received_on` is a `council_gss_code` error found by
ReceivedAgainst, which cleans after both). Compliance cleans its two columns together: they go
together.

Each column also writes its own cells (`cells(example)`, the inverse of `clean`): the template
file (importing.template) is written column by column from worked examples, so it has every
column and the import reads it back as those examples.

Reorganisation (DOMAIN.md "Reorganisation: cases follow the successor"): a row may be about the
successor of the council the complaint was received against, with a received date before the
successor's first day. `received_against_gss_code` (optional) names that predecessor; without
it the predecessor is inferred when exactly one of the council's predecessors was active on
`received_on`, and the row is an error naming them when several were. A decision after a
council's last day counts for its successor (a warning says which); when the council was split
between two successors the row must say which one took the case.

Every row of a large file runs every column, so the cells are looked up by value in
precomputed tables (Lookups: councils and categories by every spelling the file may use,
each distinct date cell parsed once) and each column's fast path is a dictionary lookup.
"""

import datetime
import re
from dataclasses import dataclass

from complaints.bulk import NewCase, NewRecommendation
from complaints.importing.lookups import Lookups
from complaints.importing.recommendations import recommendations_format, recommendations_parse
from complaints.models import (
    Category,
    ComplianceResult,
    Outcome,
    UpheldKind,
)
from complaints.references import normalise_reference
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


class Reference(Column):
    """A case reference `YY NNN NNN` (other spacings are normalised), once in the file."""

    name = "reference"

    @staticmethod
    def cells(example):
        return {"reference": example.reference}

    def __init__(self, *args):
        super().__init__(*args)
        self.first_line: dict[str, int] = {}

    def clean(self, cells, row):
        raw = cells[self.index].strip()
        if REFERENCE_EXACT_RE.match(raw):
            reference = raw
        else:
            reference = normalise_reference(raw)
            if reference is not None and not REFERENCE_EXACT_RE.match(reference):
                reference = None  # digits of other scripts: the database takes 0-9 only
        if reference is None:
            row.problems.append(
                ("reference", f"{raw!r} is not a case reference (YY NNN NNN, e.g. 19 012 345)" if raw else "is empty")
            )
        elif reference in self.first_line:
            row.problems.append(
                ("reference", f"{reference} appears more than once (first on line {self.first_line[reference]})")
            )
        else:
            self.first_line[reference] = row.line
        row.reference = reference


class CouncilCode(Column):
    """A council in the register, by GSS code (any case)."""

    name = "council_gss_code"

    @staticmethod
    def cells(example):
        return {"council_gss_code": example.council.gss_code}

    def __init__(self, *args):
        super().__init__(*args)
        self.councils = self.lookups.councils

    def clean(self, cells, row):
        raw = cells[self.index]
        council = self.councils.get(raw)
        if council is None:
            raw = raw.strip()
            council = self.councils.get(raw.upper())
            if council is None:
                row.problems.append(
                    ("council_gss_code", f"{raw!r} is not a council in the register" if raw else "is empty")
                )
        row.council = council


def _council(council: Council) -> str:
    return f"{council.name} ({council.gss_code})"


def _councils(councils) -> str:
    return ", ".join(map(_council, councils))


def _active_on(council: Council, day: datetime.date) -> bool:
    return (council.active_from is None or council.active_from <= day) and (
        council.active_to is None or council.active_to >= day
    )


class ReceivedOn(Column):
    """A date (whether the council existed then is ReceivedAgainst's rule, as it may be a
    predecessor's date)."""

    name = "received_on"

    @staticmethod
    def cells(example):
        return {"received_on": _date_cell(example.received_on)}

    def clean(self, cells, row):
        raw = cells[self.index].strip()
        received_on = (self.known_date(raw) or self.date(raw)) if raw else "is empty"
        if received_on.__class__ is str:
            row.problems.append(("received_on", received_on))
            received_on = None
        row.received_on = received_on


class ReceivedAgainst(Column):
    """The council existed on `received_on` (a complaint cannot be made about a council before it
    was created or after it was abolished), or it is the successor of the council the complaint
    was received against: the one `received_against_gss_code` names (optional), a predecessor
    active on `received_on`, or else the only one of its predecessors active then."""

    name = "received_against_gss_code"

    @staticmethod
    def cells(example):
        against = example.received_against
        return {"received_against_gss_code": against.gss_code if against is not None else ""}

    def __init__(self, *args):
        super().__init__(*args)
        self.councils = self.lookups.councils
        self.predecessors = self.lookups.predecessors

    def clean(self, cells, row):
        row.received_against = None
        raw = cells[self.index].strip() if self.index is not None else ""
        council, day = row.council, row.received_on
        if council is None or day is None:
            return
        if (
            not raw
            and (council.active_from is None or council.active_from <= day)
            and (council.active_to is None or day <= council.active_to)
        ):
            return  # the usual row: received against its own council, active then
        against = None
        if raw:
            against = self.councils.get(raw.upper())
            if against is None:
                row.problems.append((self.name, f"{raw!r} is not a council in the register"))
                return
        if against is not None and against.pk != council.pk:
            predecessors = self.predecessors.get(council.pk, ())
            if against not in predecessors:
                row.problems.append(
                    (
                        self.name,
                        f"{_council(against)} is not a predecessor of {_council(council)}"
                        + (f" (its predecessors: {_councils(predecessors)})" if predecessors else ""),
                    )
                )
            elif not _active_on(against, day):
                row.problems.append((self.name, self.not_active(against, day)))
            else:
                row.received_against = against
            return
        if _active_on(council, day):
            return
        if against is None and council.active_from and day < council.active_from:
            candidates = [p for p in self.predecessors.get(council.pk, ()) if _active_on(p, day)]
            if len(candidates) == 1:
                row.received_against = candidates[0]
                return
            if candidates:
                row.problems.append(
                    (
                        self.name,
                        f"{self.not_active(council, day)}; it succeeded {len(candidates)} councils active then: "
                        f"give the one the complaint was received against ({_councils(candidates)})",
                    )
                )
                return
        row.problems.append(("council_gss_code", self.not_active(council, day)))

    @staticmethod
    def not_active(council: Council, day: datetime.date) -> str:
        if council.active_from and day < council.active_from:
            return f"{_council(council)} did not exist until {council.active_from} (received_on is {day})"
        return f"{_council(council)} was abolished on {council.active_to} (received_on is {day})"


class CategoryName(Column):
    """A top-level category's name or slug (any case); inactive ones too, as old cases carry them."""

    name = "category"

    @staticmethod
    def cells(example):
        return {"category": example.category.name}

    def __init__(self, *args):
        super().__init__(*args)
        self.categories = self.lookups.categories

    def clean(self, cells, row):
        raw = cells[self.index]
        category_id = self.categories.get(raw)
        if category_id is None:
            category_id = self.categories.get(raw.strip().lower())
            if category_id is None:
                row.problems.append(("category", self.problem(raw.strip())))
        row.category_id = category_id

    def problem(self, raw: str) -> str:
        if not raw:
            return "is empty"
        lookups = self.lookups
        parent = lookups.subcategory_of.get(raw.lower())
        if parent is not None:
            return (
                f"{raw!r} is a sub-category of {lookups.category_names[parent]}: put "
                f"{lookups.category_names[parent]!r} here and the sub-category in the subcategory column"
            )
        return f"{raw!r} is not a service category (give a top-level category's name or slug, e.g. Housing)"


class DecidedOn(Column):
    """Required (every row is a decision), not before `received_on`, nor before the council's
    first day when the complaint was received against its predecessor. After the council's last
    day the case counts for its successor (a warning says which; with no successor it stays
    with the council); a council split between two successors is an error naming them, as
    someone must say which one took the case."""

    name = "decided_on"

    @staticmethod
    def cells(example):
        return {"decided_on": _date_cell(example.decided_on)}

    def __init__(self, *args):
        super().__init__(*args)
        self.successors = self.lookups.successors

    def clean(self, cells, row):
        raw = cells[self.index].strip()
        decided_on = (self.known_date(raw) or self.date(raw)) if raw else "is empty; every row is a decision"
        if decided_on.__class__ is str:
            row.problems.append(("decided_on", decided_on))
            decided_on = None
        elif row.received_on is not None and decided_on < row.received_on:
            row.problems.append(("decided_on", f"{decided_on} is before received_on ({row.received_on})"))
        elif (council := row.council) is not None:
            if row.received_against is not None and council.active_from and decided_on < council.active_from:
                against = row.received_against
                row.problems.append(
                    (
                        "decided_on",
                        f"{decided_on} is before {_council(council)} existed (from {council.active_from}): a case "
                        f"decided then is {_council(against)}'s; give {against.gss_code} as council_gss_code",
                    )
                )
            elif council.active_to and decided_on > council.active_to:
                self.after_abolition(council, decided_on, row)
        row.decided_on = decided_on

    def after_abolition(self, council: Council, decided_on: datetime.date, row: Row) -> None:
        successors = self.successors.get(council.pk, ())
        abolished = f"{decided_on} is after {_council(council)} was abolished on {council.active_to}"
        if len(successors) > 1:
            row.problems.append(
                (
                    "council_gss_code",
                    f"{abolished} and split between {_councils(successors)}: give the one that took the case "
                    f"as council_gss_code and {council.gss_code} as received_against_gss_code",
                )
            )
            return
        self.warnings.append(
            RowError(
                row.line,
                "decided_on",
                f"{abolished}; it counts for its successor, {_council(successors[0])}"
                if successors
                else f"{abolished}; the case stays with that council",
            )
        )


class OutcomeValue(Column):
    """One of the Outcome values (any case)."""

    name = "outcome"

    @staticmethod
    def cells(example):
        return {"outcome": example.outcome}

    def clean(self, cells, row):
        outcome = cells[self.index]
        if outcome not in OUTCOMES:
            outcome = outcome.strip().lower()
            if outcome not in OUTCOMES:
                row.problems.append(
                    ("outcome", f"{outcome!r} is not one of {_choices(Outcome.values)}" if outcome else "is empty")
                )
                outcome = None
        row.outcome = outcome


class UpheldKindValue(Column):
    """Required when the outcome is upheld, empty otherwise."""

    name = "upheld_kind"

    @staticmethod
    def cells(example):
        return {"upheld_kind": example.upheld_kind}

    def clean(self, cells, row):
        kind = cells[self.index]
        if kind and kind not in UPHELD_KINDS:
            kind = kind.strip().lower()
            if kind and kind not in UPHELD_KINDS:
                row.problems.append(("upheld_kind", f"{kind!r} is not one of {_choices(UpheldKind.values)}"))
                kind = None
        outcome = row.outcome
        if outcome == UPHELD and kind == "":
            row.problems.append(
                ("upheld_kind", f"is required when the outcome is upheld ({_choices(UpheldKind.values)})")
            )
        elif outcome is not None and outcome != UPHELD and kind:
            row.problems.append(("upheld_kind", "must be empty unless the outcome is upheld"))
        row.upheld_kind = kind
        row.remedied = outcome == UPHELD and kind == REMEDIES_RECOMMENDED


class Compliance(Column):
    """`compliance_outcome` and `compliance_recorded_on` go together, only on upheld decisions
    with remedies recommended, recorded no earlier than the decision."""

    name = "compliance_outcome"

    @staticmethod
    def cells(example):
        return {
            "compliance_outcome": example.compliance_outcome,
            "compliance_recorded_on": _date_cell(example.compliance_recorded_on),
        }

    def __init__(self, at, *args):
        super().__init__(at, *args)
        self.recorded_index = at["compliance_recorded_on"]

    def clean(self, cells, row):
        outcome, recorded_raw = cells[self.index], cells[self.recorded_index]
        recorded_on = None
        if outcome or recorded_raw:
            outcome, recorded_raw, problems = outcome.strip().lower(), recorded_raw.strip(), row.problems
            if not outcome:
                problems.append(("compliance_recorded_on", "must be empty when there is no compliance_outcome"))
            elif outcome not in COMPLIANCE_RESULTS:
                problems.append(
                    ("compliance_outcome", f"{outcome!r} is not one of {_choices(ComplianceResult.values)}")
                )
            elif not row.remedied:
                problems.append(
                    ("compliance_outcome", "is only recorded for upheld decisions with remedies recommended")
                )
            if outcome and not recorded_raw:
                problems.append(("compliance_recorded_on", "is required with a compliance_outcome"))
            elif recorded_raw:
                recorded_on = self.date(recorded_raw)
                if recorded_on.__class__ is str:
                    problems.append(("compliance_recorded_on", recorded_on))
                    recorded_on = None
                elif row.decided_on is not None and recorded_on < row.decided_on:
                    problems.append(
                        ("compliance_recorded_on", f"{recorded_on} is before decided_on ({row.decided_on})")
                    )
        row.compliance_outcome = outcome
        row.compliance_recorded_on = recorded_on


class Subcategory(Column):
    """Optional: one of the category's sub-categories, by name, slug or slug within the category."""

    name = "subcategory"

    @staticmethod
    def cells(example):
        return {"subcategory": example.subcategory.name if example.subcategory is not None else ""}

    def __init__(self, *args):
        super().__init__(*args)
        self.subcategories = self.lookups.subcategories

    def clean(self, cells, row):
        subcategory_id = None
        if self.index is not None and (raw := cells[self.index].strip()):
            subcategory_id = self.subcategories.get((row.category_id, raw.lower()))
            if subcategory_id is None and row.category_id is not None:
                row.problems.append(
                    ("subcategory", f"{raw!r} is not a sub-category of {self.lookups.category_names[row.category_id]}")
                )
        row.subcategory_id = subcategory_id


class Recommendations(Column):
    """Optional: items (importing.recommendations), only on upheld decisions with remedies
    recommended (older data may carry none)."""

    name = "recommendations"

    @staticmethod
    def cells(example):
        return {"recommendations": recommendations_format(example.recommendations)}

    def clean(self, cells, row):
        recommendations = ()
        if self.index is not None and (raw := cells[self.index].strip()):
            if not row.remedied:
                row.problems.append(("recommendations", "are only made on upheld decisions with remedies recommended"))
            else:
                recommendations = recommendations_parse(raw, row.decided_on, self.date, row.problems)
        row.recommendations = recommendations


class Summary(Column):
    """Optional free text (the checks every cell gets are the only ones)."""

    name = "summary"

    @staticmethod
    def cells(example):
        return {"summary": example.summary}

    def clean(self, cells, row):
        row.summary = cells[self.index].strip() if self.index is not None else ""


# The order rows are cleaned in: each column may rely on the values of those before it.
COLUMNS: tuple[type[Column], ...] = (
    Reference,
    CouncilCode,
    ReceivedOn,
    ReceivedAgainst,
    CategoryName,
    DecidedOn,
    OutcomeValue,
    UpheldKindValue,
    Compliance,
    Subcategory,
    Recommendations,
    Summary,
)
