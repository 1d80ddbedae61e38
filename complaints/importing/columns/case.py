"""The columns of the complaint: its reference, council, dates received and against whom,
category, sub-category and summary.

Reorganisation (DOMAIN.md "Reorganisation: cases follow the successor"): a row may be about the
successor of the council the complaint was received against, with a received date before the
successor's first day. `received_against_gss_code` (optional) names that predecessor; without
it the predecessor is inferred when exactly one of the council's predecessors was active on
`received_on`, and the row is an error naming them when several were.
"""

import datetime

from complaints.importing.columns.base import (
    REFERENCE_EXACT_RE,
    Column,
    _active_on,
    _council,
    _councils,
    _date_cell,
)
from complaints.references import normalise_reference
from councils.models import Council


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


class Summary(Column):
    """Optional free text (the checks every cell gets are the only ones)."""

    name = "summary"

    @staticmethod
    def cells(example):
        return {"summary": example.summary}

    def clean(self, cells, row):
        row.summary = cells[self.index].strip() if self.index is not None else ""
