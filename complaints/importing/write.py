"""Writing a planned import: new cases by COPY (complaints.bulk), changed cases by set-based
UPDATEs from a temporary table, inside the caller's transaction and locks (importing.decisions).

A load of at least BULK_LOAD_MIN_ROWS new cases, and more than the cases already stored,
rebuilds the casework tables' indexes once instead of updating them row by row (see
complaints.bulk.bulk_load). Not the history tables': they only grow, so a rebuild would cost
more with every year kept, and their indexes (row, context, parent) take keys in the order
rows are written, so keeping them up to date row by row is cheap.
"""

from collections.abc import Iterator

from django.db import connection
from django.utils import timezone

from complaints.bulk import (
    RECOMMENDATION_COLUMNS,
    bulk_load,
    cases_insert,
    copy_lines,
    copy_text,
    copy_value,
    recommendation_lines,
)
from complaints.importing.plan import Plan
from complaints.models import Complaint, ComplianceOutcome, Decision, Recommendation
from complaints.references import references_reserve

BULK_LOAD_MIN_ROWS = 50_000


def write(plan: Plan) -> None:
    numbers: dict[str, int] = {}
    for case in plan.new:
        year, number = case.reference[:2], int(case.reference[3:].replace(" ", ""))
        if number > numbers.get(year, -1):
            numbers[year] = number
    references_reserve(numbers)
    if plan.new:
        if len(plan.new) >= BULK_LOAD_MIN_ROWS and len(plan.new) > _stored_count():
            with bulk_load(Complaint, Decision, Recommendation, ComplianceOutcome):
                cases_insert(plan.new)
        else:
            cases_insert(plan.new)
    if plan.changed:
        _update(plan)


def _stored_count() -> int:
    return Complaint.objects.count()


CHANGE_COLUMNS = (
    "complaint_id", "decision_id", "council_id", "received_on", "category_id", "subcategory_id", "summary", "status",
    "decided_on", "outcome", "upheld_kind", "compliance_outcome", "compliance_recorded_on", "replace_recommendations",
    "received_against_id",
)  # fmt: skip


def _change_lines(changed) -> Iterator[str]:
    v, t = copy_value, copy_text
    for case, existing, _decision_changed in changed:
        yield (
            f"{existing.complaint_id}\t{v(existing.decision_id)}\t{case.council_id}\t{case.received_on}\t"
            f"{case.category_id}\t{v(case.subcategory_id)}\t{t(case.summary)}\t{case.status}\t{case.decided_on}\t"
            f"{case.outcome}\t{case.upheld_kind}\t{case.compliance_outcome}\t{v(case.compliance_recorded_on)}\t"
            f"{'f' if case.recommendations is None else 't'}\t{v(case.received_against_id)}\n"
        )


COMPLAINT_SET = (
    "SET council_id = x.council_id, received_on = x.received_on, category_id = x.category_id, "
    "subcategory_id = x.subcategory_id, summary = x.summary, status = x.status, "
    "received_against_id = x.received_against_id, updated_at = %s "
    "FROM import_changes x WHERE c.id = x.complaint_id AND (c.council_id, c.received_on, c.category_id, "
    "c.subcategory_id, c.summary, c.status, c.received_against_id) IS DISTINCT FROM (x.council_id, x.received_on, "
    "x.category_id, x.subcategory_id, x.summary, x.status, x.received_against_id)"
)


def _update(plan: Plan) -> None:
    """Set-based updates of stored cases from a temporary table, ordered so that every
    statement leaves each case consistent (the triggers check after every statement)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS import_changes")
        cursor.execute(
            "CREATE TEMPORARY TABLE import_changes (complaint_id bigint PRIMARY KEY, decision_id bigint, "
            "council_id bigint, received_on date, category_id bigint, subcategory_id bigint, summary text, "
            "status varchar(20), decided_on date, outcome varchar(40), upheld_kind varchar(40), "
            "compliance_outcome varchar(20), compliance_recorded_on date, replace_recommendations boolean, "
            "received_against_id bigint) "
            "ON COMMIT DROP"
        )
    copy_lines("import_changes", CHANGE_COLUMNS, _change_lines(plan.changed))
    now = timezone.now()
    statements = [
        # Recommendations go before their decision can stop being upheld.
        "DELETE FROM complaints_recommendation r USING import_changes x "
        "WHERE x.replace_recommendations AND r.decision_id = x.decision_id",
        # Complaints received no later than before: still before the stored decision date.
        "UPDATE complaints_complaint c " + COMPLAINT_SET + " AND x.received_on <= c.received_on",
        "UPDATE complaints_decision d SET decided_on = x.decided_on, outcome = x.outcome, upheld_kind = x.upheld_kind, "
        "updated_at = %s FROM import_changes x WHERE d.id = x.decision_id "
        "AND (d.decided_on, d.outcome, d.upheld_kind) IS DISTINCT FROM (x.decided_on, x.outcome, x.upheld_kind)",
        "INSERT INTO complaints_decision (complaint_id, council_id, is_current, decided_on, outcome, upheld_kind, form, "
        "summary, created_at, updated_at) SELECT x.complaint_id, c.council_id, true, x.decided_on, x.outcome, "
        "x.upheld_kind, 'statement', '', %s, %s FROM import_changes x JOIN complaints_complaint c ON c.id = x.complaint_id "
        "WHERE x.decision_id IS NULL",
        "UPDATE import_changes x SET decision_id = d.id FROM complaints_decision d "
        "WHERE x.decision_id IS NULL AND d.complaint_id = x.complaint_id AND d.is_current",
        # Complaints received later than before: now that the decision has moved.
        "UPDATE complaints_complaint c " + COMPLAINT_SET + " AND x.received_on > c.received_on",
        # A row's compliance outcome that changes the case's applies to each recommendation the
        # row keeps (those it replaces are written below with it); one the case already has leaves
        # its recommendations' own outcomes as they are.
        "UPDATE complaints_recommendation r SET compliance_outcome = x.compliance_outcome, "
        "compliance_recorded_on = x.compliance_recorded_on, updated_at = %s FROM import_changes x "
        "WHERE r.decision_id = x.decision_id AND x.compliance_outcome <> '' AND NOT x.replace_recommendations "
        "AND NOT EXISTS (SELECT 1 FROM complaints_complianceoutcome co WHERE co.decision_id = x.decision_id "
        "AND (co.outcome, co.recorded_on) = (x.compliance_outcome, x.compliance_recorded_on))",
        "INSERT INTO complaints_complianceoutcome AS co (decision_id, council_id, outcome, recorded_on, note, created_at, updated_at) "
        "SELECT x.decision_id, d.council_id, x.compliance_outcome, x.compliance_recorded_on, '', %s, %s "
        "FROM import_changes x JOIN complaints_decision d ON d.id = x.decision_id WHERE x.compliance_outcome <> '' "
        "ON CONFLICT (decision_id) DO UPDATE SET outcome = EXCLUDED.outcome, recorded_on = EXCLUDED.recorded_on, "
        "updated_at = EXCLUDED.updated_at "
        "WHERE (co.outcome, co.recorded_on) IS DISTINCT FROM (EXCLUDED.outcome, EXCLUDED.recorded_on)",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [now] * statement.count("%s"))
        replaced = [case for case, _existing, _changed in plan.changed if case.recommendations is not None]
        if replaced:
            cursor.execute(
                "SELECT c.reference, x.decision_id FROM import_changes x "
                "JOIN complaints_complaint c ON c.id = x.complaint_id WHERE x.replace_recommendations"
            )
            decision_ids = dict(cursor.fetchall())
            copy_lines(
                Recommendation._meta.db_table,
                RECOMMENDATION_COLUMNS,
                recommendation_lines([(decision_ids[case.reference], case) for case in replaced], now.isoformat()),
            )
