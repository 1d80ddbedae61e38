"""The import page's preview: the first rows of a checked file (ImportReport.sample) as they will
be stored, kept on the ImportBatch as plain data (`preview_data`, two queries for the names of
their councils and categories) and read back for the page (`preview_rows`).

A stored case in a file without a recommendations column keeps its recommendations: the
row's `recommendations` is None ("kept as stored"), not an empty list ("none").
"""

import datetime

from complaints.importing.report import ImportReport
from complaints.models import Category, ComplianceResult, Outcome, RecommendationType, Status, UpheldKind
from councils.models import Council

ACTIONS = {"created": "New case", "updated": "Updated", "unchanged": "Unchanged"}


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day is not None else ""


def preview_data(report: ImportReport) -> list[dict]:
    """The report's sampled rows as JSON data, with council and category names."""
    sample = report.sample
    if not sample:
        return []
    kept = "recommendations" not in report.columns  # a stored case keeps its recommendations
    council_ids = {case.council_id for _, _, case in sample} | {
        case.received_against_id for _, _, case in sample if case.received_against_id
    }
    category_ids = {case.category_id for _, _, case in sample} | {
        case.subcategory_id for _, _, case in sample if case.subcategory_id
    }
    councils = dict(Council.objects.filter(pk__in=council_ids).values_list("pk", "name"))
    categories = dict(Category.objects.filter(pk__in=category_ids).values_list("pk", "name"))
    return [
        {
            "line": line,
            "action": action,
            "reference": case.reference,
            "council": councils[case.council_id],
            "received_against": councils[case.received_against_id] if case.received_against_id else "",
            "received_on": _iso(case.received_on),
            "category": categories[case.category_id],
            "subcategory": categories[case.subcategory_id] if case.subcategory_id else "",
            "decided_on": _iso(case.decided_on),
            "outcome": case.outcome,
            "upheld_kind": case.upheld_kind,
            "compliance_outcome": case.compliance_outcome,
            "compliance_recorded_on": _iso(case.compliance_recorded_on),
            "recommendations": None
            if case.recommendations is None or (kept and action != "created")
            else [
                [r.type, _iso(r.due_on), f"{r.amount:.2f}" if r.amount is not None else ""]
                for r in case.recommendations
            ],
            "summary": case.summary,
            "status": case.status,
        }
        for line, action, case in sample
    ]


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _label(choices, value: str) -> str:
    return choices(value).label if value in choices.values else value


def preview_rows(data: list[dict]) -> list[dict]:
    """The stored preview for the page: dates as dates, codes as their labels."""
    return [
        {
            **row,
            "action": ACTIONS.get(row["action"], row["action"]),
            "received_on": _date(row["received_on"]),
            "decided_on": _date(row["decided_on"]),
            "compliance_recorded_on": _date(row["compliance_recorded_on"]),
            "outcome": _label(Outcome, row["outcome"]),
            "upheld_kind": _label(UpheldKind, row["upheld_kind"]),
            "compliance_outcome": _label(ComplianceResult, row["compliance_outcome"]),
            "status": _label(Status, row["status"]),
            "recommendations": None
            if row["recommendations"] is None
            else [
                {"type": _label(RecommendationType, type_), "due_on": _date(due_on), "amount": amount}
                for type_, due_on, amount in row["recommendations"]
            ],
        }
        for row in data
    ]
