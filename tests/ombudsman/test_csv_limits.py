"""The limits every CSV import shares (ombudsman.csvio): at most 200 columns, no line over 1 MB,
and a header check that stays linear however wide the header. Each import refuses both, with
the same message, on the command line and (decisions) in the import page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from complaints.models import Complaint, ImportBatch, ImportStatus
from councils.models import Contact, Council, Population
from ombudsman.csvio import MAX_COLUMNS, RowError, header_errors, line_too_long
from tests.complaints.test_import import FULL_HEADER, GOOD_ROWS

MB = 1024 * 1024
TOO_WIDE = "line 1: the header row has 201 columns; a file may have at most 200"
TOO_LONG = "line 2: this line is longer than 1 MB (1,048,576 bytes), the most one line may hold"
IMPORTS = {
    "import_decisions": FULL_HEADER,
    "import_councils": "gss_code,name,authority_type,county_gss_code,region,active_from,active_to",
    "import_contacts": "gss_code,role,title,first_name,last_name,job_title,email",
    "import_populations": "gss_code,year,population",
}


def wide(header: str) -> str:
    """The header with columns added up to 201."""
    names = header.split(",")
    return ",".join(names + [f"extra_{n}" for n in range(MAX_COLUMNS + 1 - len(names))])


def long_line(header: str) -> str:
    """A second line just over 1 MB (a cell for each column, the last one long)."""
    cells = ["x"] * (header.count(",") + 1)
    cells[-1] = "x" * (MB + 1 - len(",".join(cells)) + 1)
    return ",".join(cells)


def test_header_errors_refuses_a_header_of_80000_columns_at_once():
    header = [f"column_{n}" for n in range(80_000)]

    errors = header_errors(header, required=["reference"], optional=[])

    assert errors == [RowError(1, "", "the header row has 80,000 columns; a file may have at most 200")]


def test_header_errors_reports_repeated_columns_once_each_in_order():
    header = ["b", "a", "b", "c", "a", "b"]

    errors = header_errors(header, required=["a", "b", "c"], optional=[])

    assert [str(error) for error in errors] == ["line 1: column(s) appear more than once: a, b"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("short\nlines\n", None),
        ("a\n" + "x" * MB + "\nb\n", None),  # exactly 1 MB is allowed
        ("a\n" + "x" * (MB + 1) + "\nb\n", 2),
        ("a\nb\nc\n" + "x" * (MB + 1), 4),  # the last line, with no line break after it
        ("x" * (MB + 1), 1),
        ("a\r" * (MB // 2) + "b\r", None),  # old Mac line breaks: many short lines, not one long one
        ("a\r\n" * (MB // 3) + "x" * (MB + 1) + "\r\n", MB // 3 + 1),
    ],
)
def test_line_too_long_finds_the_first_line_over_1_mb(text, expected):
    assert line_too_long(text) == expected
    assert line_too_long(text.encode()) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("command", IMPORTS)
@pytest.mark.parametrize(("make_file", "message"), [("wide", TOO_WIDE), ("long", TOO_LONG)])
def test_import_command_refuses_too_many_columns_and_long_lines(council, command, make_file, message, tmp_path, capsys):
    header = IMPORTS[command]
    text = wide(header) + "\n" if make_file == "wide" else header + "\n" + long_line(header) + "\n"
    path = tmp_path / "file.csv"
    path.write_text(text)
    before = (Complaint.objects.count(), Council.objects.count(), Contact.objects.count(), Population.objects.count())

    with pytest.raises(CommandError, match=r"^1 error\(s\) in file.csv"):
        call_command(command, str(path))

    assert capsys.readouterr().err.splitlines() == [f"file.csv: {message}"]
    after = (Complaint.objects.count(), Council.objects.count(), Contact.objects.count(), Population.objects.count())
    assert after == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ((wide(FULL_HEADER) + "\n" + GOOD_ROWS[1] + "\n").encode(), [1, "", TOO_WIDE.removeprefix("line 1: ")]),
        ((FULL_HEADER + "\n" + long_line(FULL_HEADER) + "\n").encode(), [2, "", TOO_LONG.removeprefix("line 2: ")]),
    ],
)
def test_import_page_refuses_too_many_columns_and_long_lines(client_for, council, data, expected):
    client = client_for("manager")

    response = client.post(
        reverse("complaints:import-upload"), {"file": SimpleUploadedFile("wide.csv", data, content_type="text/csv")}
    )
    page = client.get(response["Location"]).content.decode()

    batch = ImportBatch.objects.get()
    assert (batch.status, batch.errors) == (ImportStatus.INVALID, [expected])
    assert expected[2] in page
    assert Complaint.objects.count() == 0
