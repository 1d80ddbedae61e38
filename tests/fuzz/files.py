"""Bad CSV files for the importers, and the rule every import must keep, whatever the file.

The rule (`assert_all_or_nothing`):
- the import either succeeds, having written what its result says, or raises ImportFailed; no
  other exception ever escapes;
- when it fails, nothing is written: the tables and the audit history are as before;
- every error has a line, a column and a message:
  - the line is where the problem is: 1 <= line <= the file's last line;
  - a file that is not UTF-8 gives exactly one error, on the line of the first byte that
    cannot be read, with no column;
  - a bad header (missing, unknown or repeated column names; an empty file) gives errors on
    line 1 only, with no column, and no row is checked;
  - an error about one cell names its column (one of the importer's columns) and is never on
    line 1 (the header); an error about a whole row (wrong number of cells, a row that cannot be
    parsed as CSV) has no column.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from ombudsman.csvio import ImportFailed
from tests.security.access import history_events

NASTY_CELLS = [
    "",
    " ",
    '=HYPERLINK("http://example.org/x","click")',
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "2020-02-30",
    "2019-13-01",
    "0000-00-00",
    "9999-12-31",
    "2019-5-1",
    "01/05/2019",
    "E07000129",
    "e07000129",
    "E07٠٠٠١٢٩",
    "E99999999",
    "E10000999",
    "19 000 101",
    "١٩ ٠٠٠ ١٠١",
    "chief_executive",
    "upheld",
    "2019",
    "1980",
    "2101",
    "٢٠١٩",
    "100,000",
    "2147483648",
    "99999999999999999999",
    "1e6",
    "0",
    "²",
    "a@b",
    "@",
    "ceo@council.example.org",
    "x" * 64 + "@" + "y" * 250 + ".org",
    "\x00",
    "\x07bell",
    "\x1b[31mred",
    "\x7f",
    "tab\there",
    "\u202eRTL override",
    "ب ب ب",
    "שלום",
    "caf\u00e9",
    "\U0001f600",
    "\ufeffBOM inside",
    '"quoted"',
    "<script>alert(1)</script>",
    "'; DROP TABLE councils_council; --",
    "x" * 250,
    "x" * 10_001,
    "line\nbreak",
    "\r",
]

ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-32", "shift_jis"]
cells = st.one_of(st.sampled_from(NASTY_CELLS), st.text(max_size=40))


def quote(cell: str) -> str:
    return f'"{cell.replace(chr(34), chr(34) * 2)}"' if any(c in cell for c in ',"\n\r') else cell


@st.composite
def mutated_files(draw, header: list[str], good_rows: list[str], extra_columns: list[str]) -> bytes:
    """A good file (header and some of the good rows) with a few cells changed, dropped, added
    or rows repeated, sometimes a different header, in one of several encodings and line endings."""
    rows = [next(csv.reader([row])) for row in good_rows]
    rows = draw(st.permutations(rows))[: draw(st.integers(0, len(rows)))]
    rows = [list(row) for row in rows]
    for _ in range(draw(st.integers(0, 6))):
        if not rows:
            break
        row = draw(st.sampled_from(rows))
        action = draw(st.sampled_from(["set", "set", "set", "blank", "long", "drop", "add", "duplicate"]))
        if action == "set":
            row[draw(st.integers(0, len(row) - 1))] = draw(cells)
        elif action == "blank":
            row[draw(st.integers(0, len(row) - 1))] = ""
        elif action == "long":  # just over a field's limit (40, 100, 200, 254 characters) or the file's
            row[draw(st.integers(0, len(row) - 1))] = "x" * draw(st.sampled_from([41, 101, 201, 255, 10_001]))
        elif action == "drop" and len(row) > 1:
            row.pop(draw(st.integers(0, len(row) - 1)))
        elif action == "add":
            row.append(draw(cells))
        else:
            rows.append(list(row))
    names = list(header)
    header_action = draw(st.sampled_from(["keep"] * 6 + ["drop", "add", "repeat", "shuffle", "case", "random"]))
    if header_action == "drop":
        names.pop(draw(st.integers(0, len(names) - 1)))
    elif header_action == "add":
        names.append(draw(st.sampled_from([*extra_columns, "notes", "", " "])))
    elif header_action == "repeat":
        names.append(draw(st.sampled_from(names)))
    elif header_action == "shuffle":
        names = draw(st.permutations(names))
    elif header_action == "case":
        names = [f" {name.upper()} " for name in names]
    elif header_action == "random":
        names = draw(st.lists(st.sampled_from([*header, *extra_columns, "notes", ""]), min_size=1, max_size=12))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    lines = [",".join(quote(name) for name in names), *(",".join(quote(cell) for cell in row) for row in rows)]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines))), draw(st.sampled_from(["", ",,,", " ", '"unclosed', "\ufeff"])))
    text = newline.join(lines) + draw(st.sampled_from([newline, ""]))
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


def bad_files(header: list[str], good_rows: list[str], extra_columns: list[str] = ()) -> st.SearchStrategy[bytes]:
    return st.one_of(
        mutated_files(header, good_rows, list(extra_columns)),
        mutated_files(header, good_rows, list(extra_columns)),
        mutated_files(header, good_rows, list(extra_columns)),
        st.binary(max_size=400),
        st.text(max_size=300).map(str.encode),
    )


@dataclass
class Importer:
    """One CSV import: its service, columns, and the models it writes."""

    run: Callable[[bytes], object]
    required: list[str]
    optional: list[str] = field(default_factory=list)
    models: tuple = ()  # the first is the one a created row adds to
    created: Callable[[object], int] = lambda result: result.created

    @property
    def columns(self) -> list[str]:
        return self.required + self.optional


def stored(importer: Importer) -> tuple:
    """Row counts of the importer's models and of the whole audit history."""
    return (*(model.objects.count() for model in importer.models), history_events())


def line_count(data: bytes) -> int:
    """The file's last line number, counting a lone CR as a line break as the csv module does."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1


def encoding_error_line(data: bytes) -> int | None:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return data[: exc.start].count(b"\n") + 1
    return None


def header_is_bad(data: bytes, importer: Importer) -> bool:
    text = data.decode("utf-8-sig")
    if not text.strip():
        return True
    try:
        header = [name.strip().lower() for name in next(csv.reader(io.StringIO(text, newline=""), strict=True))]
    except csv.Error:
        return True
    return (
        not set(importer.required) <= set(header)
        or not set(header) <= set(importer.columns)
        or len(set(header)) != len(header)
    )


def note(what: str) -> None:
    """Count what happened in hypothesis' statistics (--hypothesis-show-statistics)."""
    if currently_in_test_context():
        event(what)


def assert_all_or_nothing(importer: Importer, data: bytes) -> ImportFailed | None:
    """Run the import on `data` and check the rule above. Returns the failure, if any."""
    before = stored(importer)
    try:
        result = importer.run(data)
    except ImportFailed as failure:
        check_errors(importer, data, failure)
        assert stored(importer) == before, "a failed import wrote something"
        return failure
    assert stored(importer)[0] - before[0] == importer.created(result), "the result does not say what was written"
    note("imported")
    return None


def check_errors(importer: Importer, data: bytes, failure: ImportFailed) -> None:
    errors = failure.errors
    assert errors, "ImportFailed without an error"
    last_line = line_count(data)
    for error in errors:
        assert isinstance(error.line, int) and 1 <= error.line <= last_line, error
        assert error.column in ("", *importer.columns), error
        assert isinstance(error.message, str) and error.message.strip(), error
        if error.column:
            assert error.line >= 2, f"a cell error on the header line: {error}"
    bad_byte_line = encoding_error_line(data)
    if bad_byte_line is not None:
        note("refused: not UTF-8")
        assert [(e.line, e.column) for e in errors] == [(bad_byte_line, "")], errors
        assert "not UTF-8" in errors[0].message
    elif header_is_bad(data, importer):
        note("refused: header")
        assert {(e.line, e.column) for e in errors} == {(1, "")}, errors
    else:
        note("refused: rows")
