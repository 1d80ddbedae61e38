"""Bulk import of decided cases from CSV: `decisions_check` (validate, count, write nothing) and
`decisions_import` (the same, then write everything in one transaction).

The file: a header row, UTF-8, ISO dates, columns DECISION_COLUMNS and optionally
OPTIONAL_COLUMNS. One row is one decided case, keyed by its reference (`19 012 345`).

Rules, each broken one reported as "line N, column: reason" (every error in the file, not
just the first):
- every row is a decision: `decided_on` and `outcome` are required (a complaint still open is
  recorded through the casework pages, not imported);
- `council_gss_code` is a council in the register that existed on `received_on` (a complaint
  cannot be made about a council before it was created or after it was abolished). A decision
  after the council's last day is imported with a warning: historical cases stay with the
  council they were made about;
- `category` is a top-level category's name or slug, `subcategory` one of its sub-categories
  (both case-insensitive); inactive categories are allowed, as old cases carry them;
- no date is in the future or before 1974; `decided_on` is not before `received_on`;
- `upheld_kind` is required when the outcome is upheld and empty otherwise;
- `compliance_outcome` and `compliance_recorded_on` go together, only on upheld decisions with
  remedies recommended, recorded no earlier than the decision;
- `recommendations`: `type:description:due_date[:amount]` items separated by `|`, only on
  upheld decisions with remedies recommended (older data may carry none); only financial
  redress has an amount; due no earlier than the decision. The remedy kind follows the type
  (SERVICE_IMPROVEMENT_TYPES benefit others; the rest are personal remedies);
- a reference appears once in the file.

Re-importing a reference updates that case: council, dates, category, decision, and (when the
file has those columns) sub-category, summary and recommendations (replaced as a whole; an
empty cell removes them). A compliance outcome is added or updated but never removed by an
import. Only rows that differ are written, so importing the same file twice changes nothing
and adds no history. A case's status is set by `status_after_decision` when it is created or
its decision or compliance outcome changes, and left alone otherwise; a case decided in a
review year that has ended, with no remedies left to monitor, is recorded as closed.

All or nothing: if any row is bad, nothing is written. Validation is plain Python over
precomputed lookups; writing is COPY (complaints.bulk) and set-based UPDATEs, inside one
transaction under row locks on the reference counters and table locks on the casework tables
(readers carry on, other writers wait). A load that is large against the tables switches to
`bulk_load` (indexes and foreign keys rebuilt once): everyone waits until it commits.
The database re-checks every rule as a backstop.
"""

import csv
import datetime
import gc
import hashlib
import io
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

import pghistory
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, transaction
from django.utils import timezone

from complaints.bulk import (
    NULL,
    RECOMMENDATION_COLUMNS,
    NewCase,
    NewRecommendation,
    bulk_load,
    cases_insert,
    copy_lines,
    copy_text,
    copy_value,
    tables_lock,
)
from complaints.models import (
    Category,
    Complaint,
    ComplianceOutcome,
    ComplianceResult,
    Decision,
    ImportBatch,
    ImportStatus,
    Outcome,
    Recommendation,
    RecommendationType,
    ReferenceCounter,
    RemedyKind,
    Status,
    UpheldKind,
    status_after_decision,
)
from complaints.references import normalise_reference, references_reserve
from councils.models import Council
from ombudsman.csvio import (
    CONTROL_RE,
    MAX_FIELD_CHARS,
    ImportFailed,
    RowError,
    cell_problem,
    decode,
    header_errors,
    numbered_rows,
    parse_date,
)
from ombudsman.periods import ReviewPeriod

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
OPTIONAL_COLUMNS = ["subcategory", "summary", "recommendations"]
SERVICE_IMPROVEMENT_TYPES = frozenset(
    {
        RecommendationType.PROCEDURE_CHANGE,
        RecommendationType.STAFF_TRAINING,
        RecommendationType.REVIEW_OTHER_CASES,
        RecommendationType.PUBLIC_INFORMATION,
    }
)
EARLIEST_DATE = datetime.date(1974, 1, 1)  # the Local Government Ombudsman began in 1974
MAX_AMOUNT = Decimal("99999999.99")  # Recommendation.amount: 10 digits, 2 decimal places
# A load of at least this many new cases, and more than the cases already stored, rebuilds
# the casework tables' indexes once instead of updating them row by row (see
# complaints.bulk.bulk_load). Not the history tables': they only grow, so a rebuild would
# cost more with every year kept, and their indexes (row, context, parent) take keys in the
# order rows are written, so keeping them up to date row by row is cheap.
BULK_LOAD_MIN_ROWS = 50_000

REFERENCE_EXACT_RE = re.compile(r"^\d{2} \d{3} \d{3}$", re.ASCII)
AMOUNT_RE = re.compile(r"^£?\d[\d,]*(\.\d{1,2})?$", re.ASCII)
REMEDIED = (Outcome.UPHELD.value, UpheldKind.INJUSTICE_REMEDY_RECOMMENDED.value)
RECOMMENDATION_TYPES = frozenset(RecommendationType.values)
FINANCIAL_REDRESS = RecommendationType.FINANCIAL_REDRESS.value


def _choices(values) -> str:
    return ", ".join(values)


@dataclass
class ImportReport:
    """What an import did or would do: counts by outcome, and every error and warning."""

    rows: int = 0
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.created.total()} created, {self.updated.total()} updated, {self.unchanged.total()} unchanged" + (
            f", {len(self.warnings)} warning(s)" if self.warnings else ""
        )

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_write(self) -> int:
        return self.created.total() + self.updated.total()

    def by_outcome(self) -> list[dict]:
        """One row per outcome present: label, created, updated, unchanged."""
        return [
            {
                "outcome": label,
                "created": self.created[value],
                "updated": self.updated[value],
                "unchanged": self.unchanged[value],
            }
            for value, label in Outcome.choices
            if self.created[value] or self.updated[value] or self.unchanged[value]
        ]

    def counts(self) -> dict:
        """The counts as plain data (for ImportBatch)."""
        return {
            "rows": self.rows,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
        }


@dataclass
class _Existing:
    complaint_id: int
    council_id: int
    received_on: datetime.date
    category_id: int
    subcategory_id: int | None
    summary: str
    status: str
    decision_id: int | None
    decided_on: datetime.date | None
    outcome: str
    upheld_kind: str
    compliance_outcome: str
    compliance_recorded_on: datetime.date | None
    recommendations: list = field(default_factory=list)


@dataclass
class _Parsed:
    report: ImportReport
    rows: list[tuple[int, NewCase]] = field(default_factory=list)
    has_subcategory: bool = False
    has_summary: bool = False
    has_recommendations: bool = False


@dataclass
class _Plan:
    report: ImportReport
    new: list[NewCase] = field(default_factory=list)
    changed: list[tuple[NewCase, _Existing, bool]] = field(default_factory=list)  # (row, stored, decision changed)
    replace_recommendations: bool = False


class _Lookups:
    """Councils and categories by every spelling the file may use, with the answer for each
    distinct cell value cached, so each row costs a few dictionary lookups."""

    def __init__(self):
        self.today = timezone.localdate()
        self.councils = {
            council.gss_code: council
            for council in Council.objects.only("pk", "gss_code", "name", "active_from", "active_to")
        }
        self.categories: dict[str, int] = {}
        self.subcategory_of: dict[str, int] = {}  # a sub-category's spelling -> its parent, for a hint
        self.subcategories: dict[tuple[int, str], int] = {}
        self.category_names: dict[int, str] = {}
        for category in Category.objects.select_related("parent").only("pk", "name", "slug", "parent__slug"):
            if category.parent_id is None:
                self.categories[category.name.lower()] = category.pk
                self.categories[category.slug.lower()] = category.pk
                self.category_names[category.pk] = category.name
            else:
                # Name, full slug ("housing-homelessness") or the slug within its parent ("homelessness").
                short = category.slug.removeprefix(f"{category.parent.slug}-")
                for key in (category.name.lower(), category.slug.lower(), short.lower()):
                    self.subcategories[(category.parent_id, key)] = category.pk
                    self.subcategory_of.setdefault(key, category.parent_id)
        self.dates: dict[str, datetime.date | str] = {}

    def date(self, value: str) -> datetime.date | str:
        """The date, or the reason it is not one (cached by cell value)."""
        answer = self.dates.get(value)
        if answer is None:
            try:
                answer = parse_date(value)
            except ValueError as exc:
                answer = str(exc)
            else:
                if answer > self.today:
                    answer = f"{value} is in the future"
                elif answer < EARLIEST_DATE:
                    answer = f"{value} is before 1974, when the Ombudsman began"
            self.dates[value] = answer
        return answer


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
    parsed = _parse(data)
    if parsed.report.errors:
        return parsed.report
    return _plan(parsed).report


@_collector_paused()
def decisions_import(data: bytes | str) -> ImportReport:
    """Validate and write a file of decisions, all or nothing. Raises ImportFailed with every
    error (nothing written). Run it inside `pghistory.context(...)` to name who imported."""
    parsed = _parse(data)
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
        plan = _plan(parsed)
        if plan.report.errors:
            raise ImportFailed(plan.report.errors)
        _write(plan)
    return plan.report


# Uploaded files (ImportBatch) ---------------------------------------------------------------

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 70,000-110,000 decisions: checked and imported within a request
MAX_STORED_ERRORS = 500
TOO_LARGE = f"The selected file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
BINARY_SIGNATURES = {
    b"PK\x03\x04": "a zip archive (or an Excel .xlsx workbook)",
    b"%PDF": "a PDF",
    b"MZ": "a Windows program",
    b"\x7fELF": "a program",
    b"\xd0\xcf\x11\xe0": "an old Office document (.xls or .doc)",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
    b"GIF8": "an image",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"{\\rtf": "a Word document (RTF)",
}


def upload_problem(data: bytes) -> str | None:
    """Why an upload is not a CSV file of text (judged by its content, never its name), or None."""
    if not data:
        return "The selected file is empty"
    if len(data) > MAX_UPLOAD_BYTES:
        return TOO_LARGE
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return f"The selected file must be a CSV file: this one is {kind}"
    if b"\x00" in data:
        return "The selected file must be a CSV file: this one contains binary data"
    _text, error = decode(data)
    if error:
        return f"The selected file must be saved as CSV UTF-8: line {error.line} has characters that are not UTF-8"
    return None


def _record(batch: ImportBatch, report: ImportReport) -> None:
    batch.row_count = report.rows
    batch.counts = report.counts()
    batch.errors = [[e.line, e.column, e.message] for e in report.errors[:MAX_STORED_ERRORS]]
    batch.error_count = len(report.errors)
    batch.warnings = [[w.line, w.column, w.message] for w in report.warnings[:MAX_STORED_ERRORS]]
    batch.warning_count = len(report.warnings)
    batch.checked_at = timezone.now()


def import_batch_upload(*, data: bytes, file_name: str, by) -> ImportBatch:
    """Keep an uploaded file in private storage and check it (nothing is imported yet)."""
    problem = upload_problem(data)
    if problem:
        raise ValidationError(problem)
    report = decisions_check(data)
    storage = storages["private"]
    stored_name = storage.save(f"imports/{uuid.uuid4().hex}.csv", ContentFile(data))
    batch = ImportBatch(
        file_name=file_name.replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload.csv",
        stored_name=stored_name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
        status=ImportStatus.READY if report.ok else ImportStatus.INVALID,
    )
    _record(batch, report)
    try:
        with transaction.atomic():
            batch.full_clean()
            batch.save()
    except BaseException:
        storage.delete(stored_name)
        raise
    return batch


@transaction.atomic
def import_batch_confirm(*, batch: ImportBatch, by) -> ImportBatch:
    """Import a checked file. The file is checked again against the cases as they are now: if
    that finds errors, nothing is written and the batch shows them (status invalid)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.READY:
        raise ValidationError(f"This file cannot be imported: it is {batch.get_status_display().lower()}.")
    with storages["private"].open(batch.stored_name, "rb") as file:
        data = file.read()
    try:
        with pghistory.context(import_batch=batch.pk, user=by.pk):
            report = decisions_import(data)
    except ImportFailed as failure:
        _record(batch, ImportReport(rows=batch.row_count, errors=failure.errors))
        batch.status = ImportStatus.INVALID
        batch.save()
        return batch
    _record(batch, report)
    _finish(batch, ImportStatus.IMPORTED, by)
    return batch


@transaction.atomic
def import_batch_discard(*, batch: ImportBatch, by) -> ImportBatch:
    """Drop an uploaded file that will not be imported (its check results stay)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status in (ImportStatus.IMPORTED, ImportStatus.DISCARDED):
        raise ValidationError(f"This file is already {batch.get_status_display().lower()}.")
    _finish(batch, ImportStatus.DISCARDED, by)
    return batch


def _finish(batch: ImportBatch, status: str, by) -> None:
    stored_name = batch.stored_name
    batch.status, batch.stored_name, batch.finished_by, batch.finished_at = status, "", by, timezone.now()
    batch.full_clean()
    batch.save()
    transaction.on_commit(lambda: storages["private"].delete(stored_name))


# Reading and checking rows ------------------------------------------------------------------


def _parse(data: bytes | str) -> _Parsed:
    report = ImportReport()
    parsed = _Parsed(report=report)
    if isinstance(data, bytes):
        text, error = decode(data)
        if error:
            report.errors.append(error)
            return parsed
    else:
        text = data
    required = ",".join(DECISION_COLUMNS)
    if not text.strip():
        report.errors.append(RowError(1, "", f"the file is empty; it needs a header row: {required}"))
        return parsed
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as exc:
        report.errors.append(RowError(1, "", f"the header row cannot be read ({exc})"))
        return parsed
    report.columns = header
    report.errors.extend(header_errors(header, required=DECISION_COLUMNS, optional=OPTIONAL_COLUMNS))
    if report.errors:
        return parsed
    parsed.has_subcategory = "subcategory" in header
    parsed.has_summary = "summary" in header
    parsed.has_recommendations = "recommendations" in header

    _check_rows(reader, header, parsed, maybe_control=bool(CONTROL_RE.search(text)), lookups=_Lookups())
    return parsed


def _check_rows(reader, header: list[str], parsed: _Parsed, *, maybe_control: bool, lookups: _Lookups) -> None:
    report, rows, errors, warnings = parsed.report, parsed.rows, parsed.report.errors, parsed.report.warnings
    width = len(header)
    at = {name: index for index, name in enumerate(header)}
    i_ref, i_council, i_received, i_category = (at[n] for n in DECISION_COLUMNS[:4])
    i_decided, i_outcome, i_kind, i_compliance, i_recorded = (at[n] for n in DECISION_COLUMNS[4:])
    i_sub, i_summary, i_recs = (at.get(name) for name in OPTIONAL_COLUMNS)
    councils, categories, date = lookups.councils, lookups.categories, lookups.date
    known_date = lookups.dates.get  # the answer for a cell value already seen, or None
    outcomes, kinds, results = set(Outcome.values), set(UpheldKind.values), set(ComplianceResult.values)
    upheld = Outcome.UPHELD.value
    remedied_kind = UpheldKind.INJUSTICE_REMEDY_RECOMMENDED.value
    first_line: dict[str, int] = {}
    for row_line, cells in numbered_rows(reader, errors):
        if len(cells) != width:
            if not cells or not "".join(cells).strip():
                continue
            errors.append(RowError(row_line, "", f"expected {width} cells, found {len(cells)}"))
            continue
        report.rows += 1
        if maybe_control or max(map(len, cells)) > MAX_FIELD_CHARS:
            bad = [
                RowError(row_line, name, problem)
                for name, cell in zip(header, cells, strict=True)
                if (problem := cell_problem(cell))
            ]
            if bad:
                errors.extend(bad)
                continue
        problems: list[tuple[str, str]] = []

        raw = cells[i_ref].strip()
        if REFERENCE_EXACT_RE.match(raw):
            reference = raw
        else:
            reference = normalise_reference(raw)
            if reference is not None and not REFERENCE_EXACT_RE.match(reference):
                reference = None  # digits of other scripts: the database takes 0-9 only
        if reference is None:
            problems.append(
                ("reference", f"{raw!r} is not a case reference (YY NNN NNN, e.g. 19 012 345)" if raw else "is empty")
            )
        elif reference in first_line:
            problems.append(
                ("reference", f"{reference} appears more than once (first on line {first_line[reference]})")
            )
        else:
            first_line[reference] = row_line

        raw = cells[i_council]
        council = councils.get(raw)
        if council is None:
            raw = raw.strip()
            council = councils.get(raw.upper())
            if council is None:
                problems.append(
                    ("council_gss_code", f"{raw!r} is not a council in the register" if raw else "is empty")
                )

        received_on = (known_date(raw) or date(raw)) if (raw := cells[i_received].strip()) else "is empty"
        if received_on.__class__ is str:
            problems.append(("received_on", received_on))
            received_on = None
        elif council is not None and (
            (council.active_from and received_on < council.active_from)
            or (council.active_to and received_on > council.active_to)
        ):
            problems.append(("council_gss_code", _not_active(council, received_on)))

        raw = cells[i_category]
        category_id = categories.get(raw)
        if category_id is None:
            category_id = categories.get(raw.strip().lower())
            if category_id is None:
                problems.append(("category", _bad_category(raw.strip(), lookups)))

        decided_on = (
            (known_date(raw) or date(raw)) if (raw := cells[i_decided].strip()) else "is empty; every row is a decision"
        )
        if decided_on.__class__ is str:
            problems.append(("decided_on", decided_on))
            decided_on = None
        elif received_on is not None and decided_on < received_on:
            problems.append(("decided_on", f"{decided_on} is before received_on ({received_on})"))
        elif council is not None and council.active_to and decided_on > council.active_to:
            warnings.append(
                RowError(
                    row_line,
                    "decided_on",
                    f"{decided_on} is after {council.name} ({council.gss_code}) was abolished on "
                    f"{council.active_to}; the case stays with that council",
                )
            )

        outcome = cells[i_outcome]
        if outcome not in outcomes:
            outcome = outcome.strip().lower()
            if outcome not in outcomes:
                problems.append(
                    ("outcome", f"{outcome!r} is not one of {_choices(Outcome.values)}" if outcome else "is empty")
                )
                outcome = None

        kind = cells[i_kind]
        if kind and kind not in kinds:
            kind = kind.strip().lower()
            if kind and kind not in kinds:
                problems.append(("upheld_kind", f"{kind!r} is not one of {_choices(UpheldKind.values)}"))
                kind = None
        if outcome == upheld and kind == "":
            problems.append(("upheld_kind", f"is required when the outcome is upheld ({_choices(UpheldKind.values)})"))
        elif outcome is not None and outcome != upheld and kind:
            problems.append(("upheld_kind", "must be empty unless the outcome is upheld"))
        remedied = outcome == upheld and kind == remedied_kind

        compliance = cells[i_compliance]
        recorded_raw = cells[i_recorded]
        recorded_on = None
        if compliance or recorded_raw:
            compliance, recorded_on = _check_compliance(
                compliance.strip().lower(), recorded_raw.strip(), decided_on, remedied, date, results, problems
            )

        subcategory_id = None
        if i_sub is not None and (raw := cells[i_sub].strip()):
            subcategory_id = lookups.subcategories.get((category_id, raw.lower()))
            if subcategory_id is None and category_id is not None:
                problems.append(
                    ("subcategory", f"{raw!r} is not a sub-category of {lookups.category_names[category_id]}")
                )

        recommendations = ()
        if i_recs is not None and (raw := cells[i_recs].strip()):
            if not remedied:
                problems.append(("recommendations", "are only made on upheld decisions with remedies recommended"))
            else:
                recommendations = _recommendations(raw, decided_on, date, problems)

        if problems:
            errors.extend(RowError(row_line, column, message) for column, message in problems)
            continue
        rows.append(
            (
                row_line,
                NewCase(
                    reference=reference,
                    council_id=council.id,
                    received_on=received_on,
                    category_id=category_id,
                    subcategory_id=subcategory_id,
                    summary=cells[i_summary].strip() if i_summary is not None else "",
                    decided_on=decided_on,
                    outcome=outcome,
                    upheld_kind=kind,
                    recommendations=recommendations,
                    compliance_outcome=compliance,
                    compliance_recorded_on=recorded_on,
                ),
            )
        )


def _not_active(council: Council, day: datetime.date) -> str:
    if council.active_from and day < council.active_from:
        return f"{council.name} ({council.gss_code}) did not exist until {council.active_from} (received_on is {day})"
    return f"{council.name} ({council.gss_code}) was abolished on {council.active_to} (received_on is {day})"


def _bad_category(raw: str, lookups: _Lookups) -> str:
    if not raw:
        return "is empty"
    parent = lookups.subcategory_of.get(raw.lower())
    if parent is not None:
        return (
            f"{raw!r} is a sub-category of {lookups.category_names[parent]}: put {lookups.category_names[parent]!r} "
            "here and the sub-category in the subcategory column"
        )
    return f"{raw!r} is not a service category (give a top-level category's name or slug, e.g. Housing)"


def _check_compliance(outcome, recorded_raw, decided_on, remedied, date, results, problems):
    recorded_on = None
    if not outcome:
        problems.append(("compliance_recorded_on", "must be empty when there is no compliance_outcome"))
    elif outcome not in results:
        problems.append(("compliance_outcome", f"{outcome!r} is not one of {_choices(ComplianceResult.values)}"))
    elif not remedied:
        problems.append(("compliance_outcome", "is only recorded for upheld decisions with remedies recommended"))
    if outcome and not recorded_raw:
        problems.append(("compliance_recorded_on", "is required with a compliance_outcome"))
    elif recorded_raw:
        recorded_on = date(recorded_raw)
        if recorded_on.__class__ is str:
            problems.append(("compliance_recorded_on", recorded_on))
            recorded_on = None
        elif decided_on is not None and recorded_on < decided_on:
            problems.append(("compliance_recorded_on", f"{recorded_on} is before decided_on ({decided_on})"))
    return outcome, recorded_on


def _recommendations(raw: str, decided_on, date, problems) -> tuple[NewRecommendation, ...]:
    """`type:description:due_date[:amount]` items separated by `|`. A description may contain
    colons: the due date is the last part, or the last but one when the last is an amount."""
    result = []
    for number, item in enumerate(raw.split("|"), start=1):
        where = f"item {number} ({item.strip()[:40]!r})"
        parts = item.split(":")
        if len(parts) < 3:
            problems.append(("recommendations", f"{where} is not type:description:due_date[:amount]"))
            continue
        amount_raw = None
        if len(parts) >= 4 and AMOUNT_RE.match(parts[-1].strip()):
            amount_raw = parts.pop().strip()
        type_, description, due_raw = parts[0].strip().lower(), ":".join(parts[1:-1]).strip(), parts[-1].strip()
        count = len(problems)
        if type_ not in RECOMMENDATION_TYPES:
            problems.append(
                ("recommendations", f"{where}: {type_!r} is not one of {_choices(RecommendationType.values)}")
            )
        if not description:
            problems.append(("recommendations", f"{where}: the description is empty"))
        due_on = date(due_raw) if due_raw else "the due date is empty"
        if due_on.__class__ is str:
            problems.append(("recommendations", f"{where}: {due_on}"))
        elif decided_on is not None and due_on < decided_on:
            problems.append(("recommendations", f"{where}: due {due_on}, before decided_on ({decided_on})"))
        amount = None
        if amount_raw is not None:
            if type_ != FINANCIAL_REDRESS:
                problems.append(("recommendations", f"{where}: only financial_redress has an amount"))
            else:
                try:
                    amount = Decimal(amount_raw.lstrip("£").replace(",", ""))
                except InvalidOperation:  # pragma: no cover - AMOUNT_RE admits only numbers
                    amount = Decimal(0)
                if not 0 < amount <= MAX_AMOUNT:
                    problems.append(
                        ("recommendations", f"{where}: the amount must be more than £0 and at most £{MAX_AMOUNT:,}")
                    )
        if len(problems) == count:
            result.append(
                NewRecommendation(
                    type=type_,
                    description=description,
                    due_on=due_on,
                    remedy_kind=(
                        RemedyKind.SERVICE_IMPROVEMENT.value
                        if type_ in SERVICE_IMPROVEMENT_TYPES
                        else RemedyKind.PERSONAL.value
                    ),
                    amount=amount,
                )
            )
    return tuple(result)


# Comparing with the stored cases -----------------------------------------------------------


@cache
def _status(outcome: str, upheld_kind: str, has_compliance: bool, past_year: bool) -> str:
    """status_after_decision; a case decided in a review year that has ended, with nothing left
    to monitor, is recorded as closed (nobody is left to close it by hand)."""
    status = status_after_decision(outcome=outcome, upheld_kind=upheld_kind, has_compliance=has_compliance)
    return Status.CLOSED if past_year and status == Status.DECIDED else status


def _recommendation_key(r) -> tuple:
    return (r.due_on, r.type, r.remedy_kind, r.description, r.amount or Decimal(0))


def _existing(references: list[str]) -> dict[str, _Existing]:
    if not references:
        return {}
    stored: dict[str, _Existing] = {}
    by_decision: dict[int, _Existing] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reference, c.id, c.council_id, c.received_on, c.category_id, c.subcategory_id, c.summary, "
            "c.status, d.id, d.decided_on, coalesce(d.outcome, ''), coalesce(d.upheld_kind, ''), "
            "coalesce(co.outcome, ''), co.recorded_on "
            # One string parameter, not a list: psycopg quotes a long list item by item.
            "FROM unnest(string_to_array(%s, ',')) AS r(reference) JOIN complaints_complaint c "
            "ON c.reference = r.reference "
            "LEFT JOIN complaints_decision d ON d.complaint_id = c.id AND d.is_current "
            "LEFT JOIN complaints_complianceoutcome co ON co.decision_id = d.id",
            [",".join(references)],
        )
        for reference, *values in cursor.fetchall():
            existing = stored[reference] = _Existing(*values)
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


def _plan(parsed: _Parsed) -> _Plan:
    report = parsed.report
    this_year = ReviewPeriod.containing(timezone.localdate()).start
    plan = _Plan(report=report, replace_recommendations=parsed.has_recommendations)
    stored = _existing([case.reference for _line, case in parsed.rows])
    errors = report.errors
    for line, case in parsed.rows:
        existing = stored.get(case.reference)
        if existing is None:
            case.status = _status(
                case.outcome, case.upheld_kind, bool(case.compliance_outcome), case.decided_on < this_year
            )
            plan.new.append(case)
            report.created[case.outcome] += 1
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
        ) != (
            existing.council_id,
            existing.received_on,
            existing.category_id,
            existing.subcategory_id,
            existing.summary,
            existing.status,
        )
        if decision_changed or recommendations_changed or complaint_changed:
            if not recommendations_changed:
                case.recommendations = None  # leave the stored ones alone
            plan.changed.append((case, existing, decision_changed))
            report.updated[case.outcome] += 1
        else:
            report.unchanged[case.outcome] += 1
    return plan


def _conflicts(case: NewCase, existing: _Existing, parsed: _Parsed) -> list[tuple[str, str]]:
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


# Writing -------------------------------------------------------------------------------------


def _write(plan: _Plan) -> None:
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
)  # fmt: skip


def _change_lines(changed) -> Iterator[str]:
    v, t = copy_value, copy_text
    for case, existing, _decision_changed in changed:
        yield (
            f"{existing.complaint_id}\t{v(existing.decision_id)}\t{case.council_id}\t{case.received_on}\t"
            f"{case.category_id}\t{v(case.subcategory_id)}\t{t(case.summary)}\t{case.status}\t{case.decided_on}\t"
            f"{case.outcome}\t{case.upheld_kind}\t{case.compliance_outcome}\t{v(case.compliance_recorded_on)}\t"
            f"{'f' if case.recommendations is None else 't'}\n"
        )


COMPLAINT_SET = (
    "SET council_id = x.council_id, received_on = x.received_on, category_id = x.category_id, "
    "subcategory_id = x.subcategory_id, summary = x.summary, status = x.status, updated_at = %s "
    "FROM import_changes x WHERE c.id = x.complaint_id AND (c.council_id, c.received_on, c.category_id, "
    "c.subcategory_id, c.summary, c.status) IS DISTINCT FROM (x.council_id, x.received_on, x.category_id, "
    "x.subcategory_id, x.summary, x.status)"
)


def _update(plan: _Plan) -> None:
    """Set-based updates of stored cases from a temporary table, ordered so that every
    statement leaves each case consistent (the triggers check after every statement)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS import_changes")
        cursor.execute(
            "CREATE TEMPORARY TABLE import_changes (complaint_id bigint PRIMARY KEY, decision_id bigint, "
            "council_id bigint, received_on date, category_id bigint, subcategory_id bigint, summary text, "
            "status varchar(20), decided_on date, outcome varchar(40), upheld_kind varchar(40), "
            "compliance_outcome varchar(20), compliance_recorded_on date, replace_recommendations boolean) "
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
            stamp = now.isoformat()
            copy_lines(
                Recommendation._meta.db_table,
                RECOMMENDATION_COLUMNS,
                (
                    f"{decision_ids[case.reference]}\t{r.type}\t{r.remedy_kind}\t{copy_text(r.description)}\t"
                    f"{NULL if r.amount is None else r.amount}\t{r.due_on}\t{stamp}\t{stamp}\n"
                    for case in replaced
                    for r in case.recommendations
                ),
            )
