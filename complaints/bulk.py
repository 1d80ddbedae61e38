"""Fast writes of whole cases (complaint, decision, recommendations, compliance) with COPY,
and set-based deletes of whole cases.

Used by the CSV import and the demo data generator (demo/). Call inside a transaction; the
caller validates first, so a failure here is a bug or a race and rolls everything back.

- Ids come from the tables' own sequences, a block at a time (`ids_take`), so every row can be
  COPYed with its foreign keys in one pass. Taking a block locks the table in SHARE ROW
  EXCLUSIVE mode until the transaction ends: readers carry on, other writers wait, and no
  INSERT can draw from the sequence while the block is reserved.
- COPY text is built here (tab-separated, `\\N` for NULL, backslash escapes), about ten times
  cheaper than psycopg's per-row `write_row`. Free text is checked for characters to escape
  in one pass per table, and escaped value by value only when some value has one.
- The database still checks every rule: constraints, foreign keys and the statement-level
  triggers fire for COPY as for INSERT, and the statement-level history triggers record
  every row. A lock statement runs through Django's cursor before any COPY, so an enclosing
  `pghistory.context` is attached to those history rows too.
- `bulk_load` is for loads that are large against the tables' size: it drops the tables'
  secondary indexes and foreign keys and re-creates them from the catalogue after the load
  (one sort per index and one join per key instead of a probe per row). It takes ACCESS
  EXCLUSIVE locks: everyone else waits until the transaction ends. If anything fails, the
  rollback puts the indexes and keys back as they were.
"""

import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from complaints.models import Complaint, ComplianceOutcome, Decision, Recommendation, Status

COMPLAINT_COLUMNS = (
    "id", "reference", "council_id", "received_on", "category_id", "subcategory_id", "complainant_name",
    "complainant_email", "complainant_phone", "complainant_address", "summary", "assigned_to_id", "status",
    "created_by_id", "created_at", "updated_at", "received_against_id",
)  # fmt: skip
DECISION_COLUMNS = (
    "id", "complaint_id", "council_id", "is_current", "decided_on", "outcome", "upheld_kind", "form", "summary",
    "decided_by_id", "created_at", "updated_at",
)  # fmt: skip
RECOMMENDATION_COLUMNS = (
    "decision_id", "type", "remedy_kind", "description", "amount", "due_on", "compliance_outcome",
    "compliance_recorded_on", "evidence_note", "created_at", "updated_at",
)  # fmt: skip
COMPLIANCE_COLUMNS = (
    "decision_id", "council_id", "outcome", "recorded_on", "note", "recorded_by_id", "created_at", "updated_at",
)  # fmt: skip

NULL = "\\N"
COPY_CHUNK_LINES = 8192
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: str) -> str:
    """A text value for COPY's text format (NUL cannot be stored and must be refused earlier)."""
    return value.translate(_ESCAPES) if _NEEDS_ESCAPE.search(value) else value


def copy_text_for(values: Iterable[str]):
    """`copy_text`, or `str` (which returns a str as it is) when none of `values` needs
    escaping: one regular-expression pass over them all instead of one call per value."""
    return copy_text if _NEEDS_ESCAPE.search("".join(values)) else str


def copy_value(value) -> str:
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return copy_text(value)
    return str(value)  # int, Decimal, date, datetime: PostgreSQL reads their str()


def copy_lines(table: str, columns: Sequence[str], lines: Iterable[str]) -> int:
    """COPY ready-made lines (each ending in a newline) into a table; returns the count."""
    count = 0
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        cursor = wrapper.cursor  # psycopg's own cursor, for COPY; errors still come out as Django's
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            chunk: list[str] = []
            for line in lines:
                chunk.append(line)
                if len(chunk) == COPY_CHUNK_LINES:
                    copy.write("".join(chunk))
                    count += len(chunk)
                    chunk.clear()
            if chunk:
                copy.write("".join(chunk))
                count += len(chunk)
    return count


def tables_lock(*models, mode: str = "SHARE ROW EXCLUSIVE") -> None:
    """Lock the models' tables until the transaction ends (through Django's cursor, so an
    enclosing pghistory.context is set for the rest of the transaction)."""
    tables = ", ".join(model._meta.db_table for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN {mode} MODE")


def ids_take(model, count: int) -> range:
    """Reserve `count` consecutive ids from the model's sequence (locks the table, see above)."""
    if count == 0:
        return range(0)
    tables_lock(model)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(seq::regclass, nextval(seq::regclass) + %s - 1) "
            "FROM pg_get_serial_sequence(%s, 'id') AS s(seq)",
            [count, model._meta.db_table],
        )
        (last,) = cursor.fetchone()
    return range(last - count + 1, last + 1)


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
    received_against_id: int | None = None  # a predecessor of council_id (a reorganisation)
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


def cases_insert(cases: Sequence[NewCase], *, user_id: int | None = None) -> InsertResult:
    """Insert new cases (their references must not exist yet). Must run inside a transaction."""
    result = InsertResult()
    if not cases:
        return result
    now = timezone.now().isoformat()
    user = copy_value(user_id)
    v = copy_value
    # Free text is escaped (or, when no value has a tab, newline or backslash, passed as it is).
    # References, choices and dates are not: the tables' CHECK constraints admit none of those
    # characters, so a value that needed escaping would be refused by the database anyway.
    t = copy_text_for(
        f"{c.complainant_name}{c.complainant_email}{c.complainant_phone}{c.complainant_address}{c.summary}"
        f"{c.decision_summary}"
        for c in cases
    )
    complaint_ids = ids_take(Complaint, len(cases))
    decided = [
        (complaint_id, case)
        for complaint_id, case in zip(complaint_ids, cases, strict=True)
        if case.decided_on is not None
    ]
    decision_ids = ids_take(Decision, len(decided))
    if decided:
        tables_lock(Recommendation, ComplianceOutcome)

    result.complaints = copy_lines(
        Complaint._meta.db_table,
        COMPLAINT_COLUMNS,
        (
            f"{complaint_id}\t{c.reference}\t{c.council_id}\t{c.received_on}\t{c.category_id}\t"
            f"{v(c.subcategory_id)}\t{t(c.complainant_name)}\t{t(c.complainant_email)}\t{t(c.complainant_phone)}\t"
            f"{t(c.complainant_address)}\t{t(c.summary)}\t{v(c.assigned_to_id)}\t{c.status}\t{user}\t{now}\t{now}\t"
            f"{v(c.received_against_id)}\n"
            for complaint_id, c in zip(complaint_ids, cases, strict=True)
        ),
    )
    result.decisions = copy_lines(
        Decision._meta.db_table,
        DECISION_COLUMNS,
        (
            f"{decision_id}\t{complaint_id}\t{c.council_id}\tt\t{c.decided_on}\t{c.outcome}\t{c.upheld_kind}\t"
            f"{c.decision_form}\t{t(c.decision_summary)}\t{user}\t{now}\t{now}\n"
            for decision_id, (complaint_id, c) in zip(decision_ids, decided, strict=True)
        ),
    )
    result.recommendations = copy_lines(
        Recommendation._meta.db_table,
        RECOMMENDATION_COLUMNS,
        recommendation_lines(list(zip(decision_ids, (c for _, c in decided), strict=True)), now),
    )
    result.compliance_outcomes = copy_lines(
        ComplianceOutcome._meta.db_table,
        COMPLIANCE_COLUMNS,
        (
            f"{decision_id}\t{c.council_id}\t{c.compliance_outcome}\t{c.compliance_recorded_on}\t\t{user}\t{now}\t{now}\n"
            for decision_id, (_, c) in zip(decision_ids, decided, strict=True)
            if c.compliance_outcome
        ),
    )
    return result


def recommendation_lines(decisions: Sequence[tuple[int, NewCase]], now: str) -> Iterator[str]:
    """COPY lines of the cases' recommendations. A case's compliance outcome (one for the whole
    decision, as an import or the demo gives it) is each of its recommendations' outcome too."""
    t = copy_text_for(r.description for _, case in decisions for r in case.recommendations)
    for decision_id, case in decisions:
        compliance = (
            f"{case.compliance_outcome}\t{case.compliance_recorded_on}" if case.compliance_outcome else f"\t{NULL}"
        )
        for r in case.recommendations:
            yield (
                f"{decision_id}\t{r.type}\t{r.remedy_kind}\t{t(r.description)}\t"
                f"{NULL if r.amount is None else r.amount}\t{r.due_on}\t{compliance}\t\t{now}\t{now}\n"
            )


@transaction.atomic
def cases_delete(complaints: QuerySet[Complaint]) -> int:
    """Delete these complaints with their decisions, recommendations and compliance outcomes;
    returns how many complaints went.

    Plain DELETEs (the history triggers record them): if another table refers to one of
    these complaints, the foreign key stops the delete with an IntegrityError instead of
    cascading into someone else's records."""
    sql, params = complaints.values("pk").query.sql_with_params()
    complaint, decision, recommendation, compliance = (
        m._meta.db_table for m in (Complaint, Decision, Recommendation, ComplianceOutcome)
    )
    # Qualified names (r.id, d.id): a column missing from the subquery must fail, not correlate to the outer table.
    deleted_ids = "SELECT r.id FROM cases_deleted r"
    decisions = f"SELECT d.id FROM {decision} d WHERE d.complaint_id IN ({deleted_ids})"  # noqa: S608 - our tables
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE cases_deleted (id bigint PRIMARY KEY)")
        cursor.execute(f"INSERT INTO cases_deleted (id) {sql}", params)
        cursor.execute(f"DELETE FROM {compliance} WHERE decision_id IN ({decisions})")  # noqa: S608 - our tables
        cursor.execute(f"DELETE FROM {recommendation} WHERE decision_id IN ({decisions})")  # noqa: S608 - our tables
        cursor.execute(f"DELETE FROM {decision} WHERE complaint_id IN ({deleted_ids})")  # noqa: S608 - our tables
        cursor.execute(f"DELETE FROM {complaint} WHERE id IN ({deleted_ids})")  # noqa: S608 - our tables
        deleted = cursor.rowcount
        cursor.execute("DROP TABLE cases_deleted")
    return deleted


@contextmanager
def bulk_load(*models):
    """Drop the tables' secondary indexes and foreign keys for a large load; re-create them on
    the way out (see the module docstring). Primary keys and unique constraints stay, so
    duplicates are still refused row by row; unique indexes without a constraint (partial
    ones) are re-created, which checks them over the whole table."""
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load must run inside a transaction, which puts things back if the load fails")
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
        # A table with foreign-key checks still pending in this transaction cannot be altered:
        # run those checks now (Django's keys are all DEFERRABLE INITIALLY DEFERRED, so this
        # puts the mode back as it was).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
