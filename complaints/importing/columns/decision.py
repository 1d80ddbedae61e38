"""The columns of the decision: its date, outcome and kind, compliance and recommendations.

Reorganisation (DOMAIN.md "Reorganisation: cases follow the successor"): a decision after a
council's last day counts for its successor (a warning says which); when the council was split
between two successors the row must say which one took the case.
"""

import datetime

from complaints.importing.columns.base import (
    COMPLIANCE_RESULTS,
    OUTCOMES,
    REMEDIES_RECOMMENDED,
    UPHELD,
    UPHELD_KINDS,
    Column,
    Row,
    _choices,
    _council,
    _councils,
    _date_cell,
)
from complaints.importing.recommendations import recommendations_format, recommendations_parse
from complaints.models import (
    ComplianceResult,
    Outcome,
    UpheldKind,
)
from councils.models import Council
from ombudsman.csvio import RowError


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
