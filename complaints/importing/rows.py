"""Reading a decisions file and checking every row: the header, then each row's cells (the
checks every cell gets: length, control characters) and its columns (importing.columns), in
the file's order. Every error is collected; a row with any error is left out of the rows."""

import csv
import io
from dataclasses import dataclass, field

from complaints.bulk import NewCase
from complaints.importing.columns import COLUMNS, DECISION_COLUMNS, OPTIONAL_COLUMNS, Row
from complaints.importing.lookups import Lookups
from complaints.importing.report import ImportReport
from ombudsman.csvio import CONTROL_RE, MAX_FIELD_CHARS, RowError, cell_problem, header_errors, numbered_rows, read_text


@dataclass
class Parsed:
    report: ImportReport
    rows: list[tuple[int, NewCase]] = field(default_factory=list)
    has_subcategory: bool = False
    has_summary: bool = False
    has_recommendations: bool = False


def parse(data: bytes | str) -> Parsed:
    report = ImportReport()
    parsed = Parsed(report=report)
    text, error = read_text(data)
    if error:
        report.errors.append(error)
        return parsed
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

    _check_rows(reader, header, parsed, maybe_control=bool(CONTROL_RE.search(text)))
    return parsed


def _check_rows(reader, header: list[str], parsed: Parsed, *, maybe_control: bool) -> None:
    report, rows, errors = parsed.report, parsed.rows, parsed.report.errors
    width = len(header)
    at = {name: index for index, name in enumerate(header)}
    lookups = Lookups()
    cleaners = [column(at, lookups, report.warnings).clean for column in COLUMNS]
    row = Row()
    problems = row.problems
    for line, cells in numbered_rows(reader, errors):
        if len(cells) != width:
            if not cells or not "".join(cells).strip():
                continue
            errors.append(RowError(line, "", f"expected {width} cells, found {len(cells)}"))
            continue
        report.rows += 1
        if maybe_control or max(map(len, cells)) > MAX_FIELD_CHARS:
            bad = [
                RowError(line, name, problem)
                for name, cell in zip(header, cells, strict=True)
                if (problem := cell_problem(cell))
            ]
            if bad:
                errors.extend(bad)
                continue
        row.line = line
        for clean in cleaners:
            clean(cells, row)
        if problems:
            errors.extend(RowError(line, column, message) for column, message in problems)
            problems.clear()
            continue
        rows.append((line, row.case()))
