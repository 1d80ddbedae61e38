"""CSV in and out, shared by every importer and export.

Reading (`read_text`, then `header_errors`): a file with a line over MAX_LINE_BYTES is
refused before anything else, the whole file is decoded as UTF-8 (a byte-order mark is
allowed), a header of more than MAX_COLUMNS columns is refused, the header is checked against
the expected columns (in time linear in its width), and each row comes with the line number it
starts on, so every error can name its line and column. Importers collect every error, then
write nothing if there is one. Every import goes through these checks, on the command line
and in the import page alike.

Writing: cells that a spreadsheet would run as a formula (starting with = + - @, tab or
carriage return) are prefixed with an apostrophe.
"""

import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

MAX_FIELD_CHARS = 10_000
MAX_COLUMNS = 200  # every import has at most 12; a wider header is not one of our files
MAX_LINE_BYTES = 1024 * 1024  # 1 MB: a row of 12 cells of at most MAX_FIELD_CHARS fits with room to spare
LINE_TOO_LONG = f"this line is longer than 1 MB ({MAX_LINE_BYTES:,} bytes), the most one line may hold"
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


def line_too_long(data: bytes | str) -> int | None:
    """The number of the first line longer than MAX_LINE_BYTES (characters, for text already
    decoded), or None. Lines end at LF, CR or CRLF, as csv reads them.

    One pass over the data in C, whatever the number of lines: each step looks at the next
    MAX_LINE_BYTES + 1 characters and moves to just after the last line break among them; a
    window with no line break is a line that is too long."""
    size = len(data)
    if size <= MAX_LINE_BYTES:
        return None
    lf, cr = (b"\n", b"\r") if isinstance(data, bytes) else ("\n", "\r")
    start = 0  # always the first character of a line
    while size - start > MAX_LINE_BYTES:
        end = start + MAX_LINE_BYTES + 1
        last_break = max(data.rfind(lf, start, end), data.rfind(cr, start, end))
        if last_break == -1:
            # CRLF counts once: count LFs, and CRs only in a file that has no LF before here.
            return (data.count(lf, 0, start) or data.count(cr, 0, start)) + 1
        start = last_break + 1
    return None


def read_text(data: bytes | str) -> tuple[str | None, RowError | None]:
    """The file's text, or the error that stops it being read: a line over 1 MB, or not UTF-8."""
    line = line_too_long(data)
    if line is not None:
        return None, RowError(line, "", LINE_TOO_LONG)
    if isinstance(data, str):
        return data, None
    return decode(data)


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
    """Too many columns, or missing, unknown and repeated column names (a header already
    stripped and lower-cased). Linear in the header's width: a crafted header of 80,000
    columns took a worker 30 seconds when each name was counted over the whole header."""
    if len(header) > MAX_COLUMNS:
        return [RowError(1, "", f"the header row has {len(header):,} columns; a file may have at most {MAX_COLUMNS}")]
    errors = []
    known = set(required) | set(optional)
    present = set(header)
    missing = [name for name in required if name not in present]
    unknown = [name for name in header if name not in known]
    duplicated = sorted(name for name, count in Counter(header).items() if count > 1)
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
    text, error = read_text(data)
    if error:
        return CsvTable(header=[], errors=[error])
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
