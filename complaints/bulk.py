"""Fast insert of whole cases (complaint, decision, recommendations, compliance) with COPY.

Used by the CSV import and the demo data generator. Ids are taken from the tables' own
sequences up front, so every row can be COPYed with its foreign keys in one pass. The
database still checks every rule: constraints and the row triggers fire for COPY as for
INSERT, and the statement-level history triggers record every row. Call inside a
transaction; the caller validates first, so a failure here is a bug or a race and rolls
everything back.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from complaints.models import Complaint, ComplianceOutcome, Decision, Recommendation, Status

COMPLAINT_COLUMNS = (
    "id", "reference", "council_id", "received_on", "category_id", "subcategory_id", "complainant_name",
    "complainant_email", "complainant_phone", "complainant_address", "summary", "assigned_to_id", "status",
    "created_by_id", "created_at", "updated_at",
)  # fmt: skip
DECISION_COLUMNS = (
    "id", "complaint_id", "council_id", "is_current", "decided_on", "outcome", "upheld_kind", "form", "summary",
    "decided_by_id", "created_at", "updated_at",
)  # fmt: skip
RECOMMENDATION_COLUMNS = (
    "decision_id",
    "type",
    "remedy_kind",
    "description",
    "amount",
    "due_on",
    "created_at",
    "updated_at",
)
COMPLIANCE_COLUMNS = (
    "decision_id",
    "council_id",
    "outcome",
    "recorded_on",
    "note",
    "recorded_by_id",
    "created_at",
    "updated_at",
)


@dataclass
class NewRecommendation:
    type: str
    description: str
    due_on: datetime.date
    remedy_kind: str = "personal"
    amount: Decimal | None = None


@dataclass
class NewCase:
    """A complaint with, optionally, its decision, recommendations and compliance outcome."""

    reference: str
    council_id: int
    received_on: datetime.date
    category_id: int
    subcategory_id: int | None = None
    complainant_name: str = ""
    complainant_email: str = ""
    complainant_phone: str = ""
    complainant_address: str = ""
    summary: str = ""
    status: str = Status.RECEIVED
    assigned_to_id: int | None = None
    decided_on: datetime.date | None = None
    outcome: str = ""
    upheld_kind: str = ""
    decision_form: str = "statement"
    decision_summary: str = ""
    recommendations: Sequence[NewRecommendation] = field(default_factory=tuple)
    compliance_outcome: str = ""
    compliance_recorded_on: datetime.date | None = None


@dataclass
class InsertResult:
    complaints: int = 0
    decisions: int = 0
    recommendations: int = 0
    compliance_outcomes: int = 0


def _take_ids(cursor, model, count: int) -> list[int]:
    if count == 0:
        return []
    table = model._meta.db_table
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _copy(cursor, model, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    with cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def cases_insert(cases: Sequence[NewCase], *, user_id: int | None = None) -> InsertResult:
    """Insert new cases (their references must not exist yet). Must run inside a transaction."""
    now = timezone.now()
    result = InsertResult(complaints=len(cases))
    decided = [case for case in cases if case.decided_on is not None]
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor, for COPY
        complaint_ids = _take_ids(cursor, Complaint, len(cases))
        decision_ids = iter(_take_ids(cursor, Decision, len(decided)))
        decision_id_by_case: dict[int, int] = {}
        for index, case in enumerate(cases):
            if case.decided_on is not None:
                decision_id_by_case[index] = next(decision_ids)

        _copy(
            cursor,
            Complaint,
            COMPLAINT_COLUMNS,
            (
                (
                    complaint_ids[i],
                    c.reference,
                    c.council_id,
                    c.received_on,
                    c.category_id,
                    c.subcategory_id,
                    c.complainant_name,
                    c.complainant_email,
                    c.complainant_phone,
                    c.complainant_address,
                    c.summary,
                    c.assigned_to_id,
                    c.status,
                    user_id,
                    now,
                    now,
                )
                for i, c in enumerate(cases)
            ),
        )
        _copy(
            cursor,
            Decision,
            DECISION_COLUMNS,
            (
                (
                    decision_id_by_case[i],
                    complaint_ids[i],
                    c.council_id,
                    True,
                    c.decided_on,
                    c.outcome,
                    c.upheld_kind,
                    c.decision_form,
                    c.decision_summary,
                    user_id,
                    now,
                    now,
                )
                for i, c in enumerate(cases)
                if i in decision_id_by_case
            ),
        )
        recommendations = [
            (decision_id_by_case[i], r.type, r.remedy_kind, r.description, r.amount, r.due_on, now, now)
            for i, c in enumerate(cases)
            if i in decision_id_by_case
            for r in c.recommendations
        ]
        _copy(cursor, Recommendation, RECOMMENDATION_COLUMNS, recommendations)
        compliance = [
            (
                decision_id_by_case[i],
                c.council_id,
                c.compliance_outcome,
                c.compliance_recorded_on,
                "",
                user_id,
                now,
                now,
            )
            for i, c in enumerate(cases)
            if i in decision_id_by_case and c.compliance_outcome
        ]
        _copy(cursor, ComplianceOutcome, COMPLIANCE_COLUMNS, compliance)
    result.decisions = len(decision_id_by_case)
    result.recommendations = len(recommendations)
    result.compliance_outcomes = len(compliance)
    return result
