"""The decisions import's two entry points: `decisions_check` (validate against the register
and the stored cases, count, write nothing) and `decisions_import` (the same, then write
everything in one transaction, or nothing if any row is bad).

Validation is plain Python over precomputed lookups (importing.rows, importing.columns);
writing is COPY and set-based UPDATEs (importing.write), inside one transaction under row
locks on the reference counters and table locks on the casework tables (readers carry on,
other writers wait). A load that is large against the tables switches to `bulk_load`
(indexes and foreign keys rebuilt once): everyone waits until it commits.
"""

import gc
from contextlib import contextmanager

from django.db import connection, transaction

from complaints.bulk import tables_lock
from complaints.importing.plan import plan
from complaints.importing.report import ImportReport
from complaints.importing.rows import parse
from complaints.importing.write import write
from complaints.models import Complaint, ComplianceOutcome, Decision, Recommendation, ReferenceCounter
from ombudsman.csvio import ImportFailed


@contextmanager
def _collector_paused():
    """Hundreds of thousands of small objects are built and none forms a cycle: without this
    the cyclic garbage collector rescans them over and over while they are built."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@_collector_paused()
def decisions_check(data: bytes | str) -> ImportReport:
    """Validate a file against the register and the stored cases; write nothing."""
    parsed = parse(data)
    if parsed.report.errors:
        return parsed.report
    return plan(parsed).report


@_collector_paused()
def decisions_import(data: bytes | str) -> ImportReport:
    """Validate and write a file of decisions, all or nothing. Raises ImportFailed with every
    error (nothing written). Run it inside `pghistory.context(...)` to name who imported."""
    parsed = parse(data)
    if parsed.report.errors:
        raise ImportFailed(parsed.report.errors)
    with transaction.atomic():
        years = sorted({case.reference[:2] for _line, case in parsed.rows})
        with connection.cursor() as cursor:
            # Counter rows before tables, the order in which casework takes them, so no deadlock.
            cursor.execute(
                f"SELECT year FROM {ReferenceCounter._meta.db_table} WHERE year = ANY(%s) FOR UPDATE",  # noqa: S608 - our table
                [years],
            )
        tables_lock(Complaint, Decision, Recommendation, ComplianceOutcome)
        with connection.cursor() as cursor:
            # For this transaction only: the triggers' transition tables (every row a COPY wrote)
            # and the join with the stored cases stay in memory instead of spilling to temporary
            # files. One import runs at a time (the table locks above), so this is taken once.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        planned = plan(parsed)
        if planned.report.errors:
            raise ImportFailed(planned.report.errors)
        write(planned)
    return planned.report
