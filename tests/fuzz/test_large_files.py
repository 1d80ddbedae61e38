"""100,000-line files through each import command: one bad row at the very end (after 99,999 good
ones) or bad rows all through, and the command fails with CommandError, lists errors by line and
column, and writes nothing. Not hypothesis: one deliberate file per importer."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from complaints.models import Complaint, ComplianceOutcome, Decision, Recommendation
from councils.models import Contact, Council, Population
from tests.fuzz.files import Importer, stored

LINES = 100_000
HEADERS = {
    "import_decisions": "reference,council_gss_code,received_on,category,decided_on,outcome,upheld_kind,"
    "compliance_outcome,compliance_recorded_on",
    "import_councils": "gss_code,name,authority_type,county_gss_code,region,active_from,active_to",
    "import_contacts": "gss_code,role,title,first_name,last_name,job_title,email",
    "import_populations": "gss_code,year,population",
}
MODELS = {
    "import_decisions": (Complaint, Decision, Recommendation, ComplianceOutcome),
    "import_councils": (Council,),
    "import_contacts": (Contact,),
    "import_populations": (Population,),
}


def decision_row(n: int) -> str:
    return f"19 {n // 1000:03d} {n % 1000:03d},E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,"


def council_row(n: int) -> str:
    return f"E07{n:06d},Testdale {n},district,,East Midlands,,"


def run(command: str, path) -> tuple[str, str | None]:
    err = io.StringIO()
    try:
        call_command(command, str(path), stdout=io.StringIO(), stderr=err)
    except CommandError as exc:
        return err.getvalue(), str(exc)
    return err.getvalue(), None


def write(tmp_path, header: str, rows: list[str]) -> object:
    path = tmp_path / "big.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert len(rows) + 1 == LINES
    return path


CASES = {
    # 99,998 good decisions, a date that does not exist, then a reference repeated.
    "import_decisions": lambda: [
        *(decision_row(n) for n in range(1, LINES - 2)),
        decision_row(LINES - 2).replace("2019-09-01", "2020-02-30"),
        decision_row(1),
    ],
    # 99,998 good councils, then a name over 200 characters and a code repeated on the last line.
    "import_councils": lambda: [
        *(council_row(n) for n in range(1, LINES - 2)),
        council_row(LINES - 2).replace(f"Testdale {LINES - 2}", "T" * 201),
        council_row(1),
    ],
    # Every row sets Blaby's chief executive again: each row after the first repeats the role.
    "import_contacts": lambda: [
        f"E07000129,chief_executive,Ms,Ada{n},Okoro,Chief Executive,ceo{n}@blaby.example.org" for n in range(1, LINES)
    ],
    # Years 1981 to 2100 over and over: each repeat is an error, and so is a control character.
    "import_populations": lambda: [
        f"E07000129,{1981 + n % 120},{100000 + n}" if n != LINES // 2 else "E07000129,2019,1\x1b00"
        for n in range(1, LINES)
    ],
}
EXPECTED_FIRST_ERRORS = {
    "import_decisions": [f"line {LINES - 1}, decided_on: 2020-02-30 is not a date"],
    "import_councils": [f"line {LINES - 1}, name: longer than 200 characters"],
    "import_contacts": ["line 3, role: E07000129 already has a chief_executive on line 2"],
    "import_populations": ["line 122, year: E07000129 already has a population for 1982 on line 2"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("command", sorted(CASES))
def test_hundred_thousand_line_file_fails_whole_with_lines_and_columns(command, tmp_path, council, other_council):
    path = write(tmp_path, HEADERS[command], CASES[command]())
    importer = Importer(run=None, required=[], models=MODELS[command])
    before = stored(importer)

    shown, failure = run(command, path)

    assert failure is not None and "no" in failure and "imported" in failure, failure
    assert stored(importer) == before
    lines = [line.removeprefix("big.csv: ") for line in shown.splitlines() if line.startswith("big.csv: line ")]
    assert lines, shown[:500]
    for expected in EXPECTED_FIRST_ERRORS[command]:
        assert expected in lines, (expected, lines[:5])
    assert all(line.split(",", 1)[0].removeprefix("line ").isdigit() for line in lines)
