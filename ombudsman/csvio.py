"""CSV in and out, shared by every importer and export.

Reading: the whole file is decoded as UTF-8 (a byte-order mark is allowed), the header is
checked against the expected columns, and each row comes with the line number it starts on,
so every error can name its line and column. Importers collect every error, then write
nothing if there is one.

Writing: cells that a spreadsheet would run as a formula (starting with = + - @, tab or
carriage return) are prefixed with an apostrophe.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

MAX_FIELD_CHARS = 10_000
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls and DEL, less tab, LF, CR
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

csv.field_size_limit(1_000_000)


@dataclass(frozen=True, order=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return f"{self.column}: {self.message}" if self.column else self.message
        where = f"line {self.line}, {self.column}" if self.column else f"line {self.line}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Raised when an import has errors; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors)
        super().__init__(f"{len(self.errors)} error(s); nothing was imported")


@dataclass
class CsvTable:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def decode(data: bytes) -> tuple[str | None, RowError | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, RowError(
            line,
            "",
            f"the file is not UTF-8 text (byte {exc.start + 1} cannot be read); save it as CSV UTF-8 and try again",
        )


def header_errors(header: list[str], *, required: list[str], optional: list[str]) -> list[RowError]:
    """Missing, unknown and repeated column names (a header already stripped and lower-cased)."""
    errors = []
    known = set(required) | set(optional)
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name not in known]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if missing:
        errors.append(RowError(1, "", "missing column(s): " + ", ".join(missing)))
    if unknown:
        errors.append(
            RowError(
                1,
                "",
                "unknown column(s): "
                + ", ".join(repr(name) for name in unknown)
                + "; expected "
                + ",".join(required + optional),
            )
        )
    if duplicated:
        errors.append(RowError(1, "", "column(s) appear more than once: " + ", ".join(duplicated)))
    return errors


def read_csv(data: bytes | str, *, required: Iterable[str], optional: Iterable[str] = ()) -> CsvTable:
    """Parse a CSV file into rows keyed by column name.

    Header problems (missing or unknown columns, duplicates) are errors on line 1; rows with
    the wrong number of cells, cells over MAX_FIELD_CHARS and control characters (NUL, escape,
    bell ...; tab and line breaks are allowed) are row errors.
    Cell values are stripped of surrounding spaces.
    """
    required, optional = list(required), list(optional)
    if isinstance(data, bytes):
        text, error = decode(data)
        if error:
            return CsvTable(header=[], errors=[error])
    else:
        text = data
    if not text.strip():
        return CsvTable(
            header=[], errors=[RowError(1, "", "the file is empty; it needs a header row: " + ",".join(required))]
        )

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    table = CsvTable(header=[])
    try:
        header = next(reader)
    except csv.Error as exc:
        return CsvTable(header=[], errors=[RowError(1, "", f"the header row cannot be read ({exc})")])
    header = [name.strip().lower() for name in header]
    table.header = header
    table.errors.extend(header_errors(header, required=required, optional=optional))
    if table.errors:
        return table

    for row_line, cells in numbered_rows(reader, table.errors):
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            table.errors.append(RowError(row_line, "", f"expected {len(header)} cells, found {len(cells)}"))
            continue
        row = {}
        bad = False
        for name, cell in zip(header, cells, strict=True):
            if problem := cell_problem(cell):
                table.errors.append(RowError(row_line, name, problem))
                bad = True
            row[name] = cell.strip()
        if not bad:
            table.rows.append((row_line, row))
    return table


def cell_problem(cell: str) -> str | None:
    """Why a cell cannot be imported whatever its column (too long, control characters), or None."""
    if len(cell) > MAX_FIELD_CHARS:
        return f"longer than {MAX_FIELD_CHARS:,} characters"
    if "\x00" in cell:
        return "contains a NUL character"
    if match := CONTROL_RE.search(cell):
        return f"contains a control character (U+{ord(match.group()):04X}); only tabs and line breaks are allowed"
    return None


def numbered_rows(reader, errors: list[RowError]) -> Iterator[tuple[int, list[str]]]:
    """A csv.reader's rows with the line each starts on. A row that cannot be parsed adds an
    error and ends the file (the reader cannot find the next row reliably)."""
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(RowError(line, "", f"this row cannot be read as CSV ({exc})"))
            return
        row_line, line = line, reader.line_num + 1
        yield row_line, cells


def parse_date(value: str) -> datetime.date:
    """An ISO date (YYYY-MM-DD); raises ValueError with a readable message."""
    if not ISO_DATE_RE.match(value):
        raise ValueError(f"{value} is not a date in the form YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a date") from None


def safe_cell(value) -> str:
    """A cell that spreadsheets show as text, never run as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_rows(out, header: list[str], rows: Iterable[Iterable]) -> int:
    """Write a header and rows with formula-safe cells; returns the number of rows."""
    writer = csv.writer(out)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        count += 1
    return count


def iter_csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """Formula-safe CSV, one line at a time, for streaming responses."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    writer.writerow(header)
    yield flush()
    for cells in rows:
        writer.writerow([safe_cell(value) for value in cells])
        yield flush()
