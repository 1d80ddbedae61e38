"""Comparing a checked file with the stored cases: which rows are new, which change a stored
case, which leave it as it is, and the rules that depend on what is stored.

Re-importing a reference updates that case: council (and the council it was received
against), dates, category, decision, and (when the file has those columns) sub-category,
summary and recommendations (replaced as a whole; an empty cell removes them). A compliance outcome is added or updated but never removed by
an import. Only rows that differ are written, so importing the same file twice changes
nothing and adds no history. A case's status is set by `status_after_decision` when it is
created or its decision or compliance outcome changes, and left alone otherwise; a case
decided in a review year that has ended, with no remedies left to monitor, is recorded as
closed. The stored cases are read in two queries, whatever the file's size.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.db import connection
from django.utils import timezone

from complaints.bulk import NewCase, NewRecommendation
from complaints.importing.columns import REMEDIES_RECOMMENDED, UPHELD
from complaints.importing.report import PREVIEW_ROWS, ImportReport
from complaints.importing.rows import Parsed
from complaints.models import Status, status_after_decision
from ombudsman.csvio import RowError
from ombudsman.periods import ReviewPeriod

REMEDIED = (UPHELD, REMEDIES_RECOMMENDED)


@dataclass
class Stored:
    complaint_id: int
    council_id: int
    received_on: datetime.date
    category_id: int
    subcategory_id: int | None
    summary: str
    status: str
    received_against_id: int | None
    decision_id: int | None
    decided_on: datetime.date | None
    outcome: str
    upheld_kind: str
    compliance_outcome: str
    compliance_recorded_on: datetime.date | None
    recommendations: list = field(default_factory=list)


@dataclass
class Plan:
    report: ImportReport
    new: list[NewCase] = field(default_factory=list)
    changed: list[tuple[NewCase, Stored, bool]] = field(default_factory=list)  # (row, stored, decision changed)
    replace_recommendations: bool = False


@cache
def _status(outcome: str, upheld_kind: str, has_compliance: bool, past_year: bool) -> str:
    """status_after_decision; a case decided in a review year that has ended, with nothing left
    to monitor, is recorded as closed (nobody is left to close it by hand)."""
    status = status_after_decision(outcome=outcome, upheld_kind=upheld_kind, has_compliance=has_compliance)
    return Status.CLOSED if past_year and status == Status.DECIDED else status


def _recommendation_key(r) -> tuple:
    return (r.due_on, r.type, r.remedy_kind, r.description, r.amount or Decimal(0))


def _stored(references: list[str]) -> dict[str, Stored]:
    if not references:
        return {}
    stored: dict[str, Stored] = {}
    by_decision: dict[int, Stored] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reference, c.id, c.council_id, c.received_on, c.category_id, c.subcategory_id, c.summary, "
            "c.status, c.received_against_id, d.id, d.decided_on, coalesce(d.outcome, ''), coalesce(d.upheld_kind, ''), "
            "coalesce(co.outcome, ''), co.recorded_on "
            # One string parameter, not a list: psycopg quotes a long list item by item.
            "FROM unnest(string_to_array(%s, ',')) AS r(reference) JOIN complaints_complaint c "
            "ON c.reference = r.reference "
            "LEFT JOIN complaints_decision d ON d.complaint_id = c.id AND d.is_current "
            "LEFT JOIN complaints_complianceoutcome co ON co.decision_id = d.id",
            [",".join(references)],
        )
        for reference, *values in cursor.fetchall():
            existing = stored[reference] = Stored(*values)
            if existing.decision_id is not None:
                by_decision[existing.decision_id] = existing
        if by_decision:
            cursor.execute(
                "SELECT decision_id, type, remedy_kind, description, amount, due_on "
                "FROM complaints_recommendation WHERE decision_id = ANY(string_to_array(%s, ',')::bigint[])",
                [",".join(map(str, by_decision))],
            )
            for decision_id, type_, remedy_kind, description, amount, due_on in cursor.fetchall():
                by_decision[decision_id].recommendations.append(
                    NewRecommendation(
                        type=type_, remedy_kind=remedy_kind, description=description, amount=amount, due_on=due_on
                    )
                )
    return stored


def plan(parsed: Parsed) -> Plan:
    report = parsed.report
    this_year = ReviewPeriod.containing(timezone.localdate()).start
    plan = Plan(report=report, replace_recommendations=parsed.has_recommendations)
    stored = _stored([case.reference for _line, case in parsed.rows])
    errors, sample = report.errors, report.sample
    for line, case in parsed.rows:
        existing = stored.get(case.reference)
        if existing is None:
            case.status = _status(
                case.outcome, case.upheld_kind, bool(case.compliance_outcome), case.decided_on < this_year
            )
            plan.new.append(case)
            report.created[case.outcome] += 1
            if len(sample) < PREVIEW_ROWS:
                sample.append((line, "created", case))
            continue
        if not parsed.has_subcategory:
            case.subcategory_id = existing.subcategory_id
        if not parsed.has_summary:
            case.summary = existing.summary
        if not case.compliance_outcome and existing.compliance_outcome:
            case.compliance_outcome = existing.compliance_outcome
            case.compliance_recorded_on = existing.compliance_recorded_on
        problems = _conflicts(case, existing, parsed)
        if problems:
            errors.extend(RowError(line, column, message) for column, message in problems)
            continue
        decision_changed = (
            existing.decision_id is None
            or (case.decided_on, case.outcome, case.upheld_kind)
            != (existing.decided_on, existing.outcome, existing.upheld_kind)
            or (case.compliance_outcome, case.compliance_recorded_on)
            != (existing.compliance_outcome, existing.compliance_recorded_on)
        )
        recommendations_changed = parsed.has_recommendations and sorted(
            map(_recommendation_key, case.recommendations)
        ) != sorted(map(_recommendation_key, existing.recommendations))
        case.status = (
            _status(case.outcome, case.upheld_kind, bool(case.compliance_outcome), case.decided_on < this_year)
            if decision_changed
            else existing.status
        )
        complaint_changed = (
            case.council_id,
            case.received_on,
            case.category_id,
            case.subcategory_id,
            case.summary,
            case.status,
            case.received_against_id,
        ) != (
            existing.council_id,
            existing.received_on,
            existing.category_id,
            existing.subcategory_id,
            existing.summary,
            existing.status,
            existing.received_against_id,
        )
        if decision_changed or recommendations_changed or complaint_changed:
            if not recommendations_changed:
                case.recommendations = None  # leave the stored ones alone
            plan.changed.append((case, existing, decision_changed))
            report.updated[case.outcome] += 1
            action = "updated"
        else:
            report.unchanged[case.outcome] += 1
            action = "unchanged"
        if len(sample) < PREVIEW_ROWS:
            sample.append((line, action, case))
    return plan


def _conflicts(case: NewCase, existing: Stored, parsed: Parsed) -> list[tuple[str, str]]:
    """Rules that depend on what is stored: a compliance outcome is never removed, and
    recommendations that the file does not replace must still fit the decision."""
    problems = []
    remedied = (case.outcome, case.upheld_kind) == REMEDIED
    if existing.compliance_outcome:
        if not remedied:
            problems.append(
                (
                    "upheld_kind",
                    f"{case.reference} has a compliance outcome ({existing.compliance_outcome}, recorded "
                    f"{existing.compliance_recorded_on}), so it must stay upheld with remedies recommended",
                )
            )
        elif case.compliance_recorded_on < case.decided_on:
            problems.append(
                (
                    "decided_on",
                    f"{case.decided_on} is after the compliance outcome recorded on {case.compliance_recorded_on}",
                )
            )
    if existing.recommendations and not parsed.has_recommendations:
        if not remedied:
            problems.append(
                (
                    "outcome",
                    f"{case.reference} has {len(existing.recommendations)} recommendation(s); add a "
                    "recommendations column to replace them, or keep it upheld with remedies recommended",
                )
            )
        elif min(r.due_on for r in existing.recommendations) < case.decided_on:
            problems.append(("decided_on", f"{case.decided_on} is after a stored recommendation's due date"))
    return problems
