"""Property-based fuzzing of the decisions import: whatever the file, the import either writes
every row or nothing, never raises anything but ImportFailed, and names a line (and, for a
cell, its column) for every error."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.importing import DECISION_COLUMNS, OPTIONAL_COLUMNS, decisions_import
from complaints.models import Complaint, Decision
from ombudsman.csvio import ImportFailed
from tests.complaints.test_import import FULL_HEADER, GOOD_ROWS

COLUMNS = DECISION_COLUMNS + OPTIONAL_COLUMNS
NASTY_CELLS = [
    "",
    " ",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "2020-02-30",
    "2019-13-01",
    "0000-00-00",
    "9999-12-31",
    "19 000 101",
    "١٩ ٠٠٠ ١٠١",
    "19 000 10١",
    "E07000129",
    "upheld",
    "injustice_remedy_recommended",
    "complied_on_time",
    "apology:x:2019-12-01",
    "financial_redress:x:2019-12-01:-5",
    "a:b:c:d:e",
    "|||",
    "\x00",
    "\x07bell",
    "\x1b[31m",
    "\u202eRTL",
    "caf\u00e9",
    "\U0001f600",
    '"quoted"',
    "x" * 10_001,
    "line\nbreak",
    "\r",
]

cells = st.one_of(st.sampled_from(NASTY_CELLS), st.text(max_size=30))


@st.composite
def mutated_files(draw) -> bytes:
    rows = [row.split(",") for row in GOOD_ROWS]
    rows = [draw(st.permutations(rows))][0][: draw(st.integers(1, len(rows)))]
    for _ in range(draw(st.integers(0, 6))):
        row = draw(st.sampled_from(rows))
        action = draw(st.sampled_from(["set", "drop", "add", "duplicate"]))
        if action == "set":
            row[draw(st.integers(0, len(row) - 1))] = draw(cells)
        elif action == "drop" and len(row) > 1:
            row.pop(draw(st.integers(0, len(row) - 1)))
        elif action == "add":
            row.append(draw(cells))
        else:
            rows.append(list(row))
    header = FULL_HEADER
    if draw(st.integers(0, 9)) == 0:
        header = ",".join(draw(st.lists(st.sampled_from([*COLUMNS, "notes", ""]), min_size=1, max_size=14)))
    text = "\n".join([header, *(",".join(_quote(cell) for cell in row) for row in rows)]) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


def _quote(cell: str) -> str:
    return f'"{cell.replace(chr(34), chr(34) * 2)}"' if any(c in cell for c in ',"\n\r') else cell


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(mutated_files(), st.binary(max_size=300)))
def test_import_decisions_fuzzed_files_all_or_nothing_with_line_and_column(council, other_council, data):
    with transaction.atomic():
        lines = data.count(b"\n") + data.count(b"\r") + 2  # csv counts a lone CR as a line break too
        try:
            report = decisions_import(data)
        except ImportFailed as failure:
            assert failure.errors
            for error in failure.errors:
                assert 1 <= error.line <= lines, error
                assert error.column in ("", *COLUMNS), error
                assert error.message, error
            assert (Complaint.objects.count(), Decision.objects.count()) == (0, 0)
        else:
            assert Complaint.objects.count() == report.created.total() == Decision.objects.count()
        transaction.set_rollback(True)
