"""Property-based fuzzing of the three register imports (councils, contacts, populations): whatever
the file, each import writes every row or nothing, never raises anything but ImportFailed, and
gives every error its line and column (the rule in tests/fuzz/files.py)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councils.importing import (
    CONTACT_COLUMNS,
    COUNCIL_COLUMNS,
    POPULATION_COLUMNS,
    contacts_import,
    councils_import,
    populations_import,
)
from councils.models import Contact, Council, Population
from tests.fuzz.files import Importer, assert_all_or_nothing, bad_files

COUNCILS = Importer(run=councils_import, required=COUNCIL_COLUMNS, optional=["formal_name"], models=(Council,))
CONTACTS = Importer(run=contacts_import, required=CONTACT_COLUMNS, models=(Contact,))
POPULATIONS = Importer(run=populations_import, required=POPULATION_COLUMNS, models=(Population,))

COUNCIL_ROWS = [
    "E10000990,Testshire,county,,East Midlands,,,Testshire County Council",
    "E07000990,Testdale,district,E10000990,East Midlands,2019-04-01,,",
    "E07000129,Blaby,district,E10000990,East Midlands,,2023-03-31,Blaby District Council",
    "E06000990,Unitown,unitary,,North West,2020-04-01,,",
    "E09000990,Testham,london_borough,,London,,,",
    "E31000990,Testshire Fire Authority,other,,East Midlands,,,",
]
CONTACT_ROWS = [
    "E07000129,chief_executive,Ms,Ada,Okoro,Chief Executive,ceo@blaby.example.org",
    "E07000129,link_officer,Mr,Ben,Smith,Complaints Manager,link@blaby.example.org",
    "E06000016,chief_executive,Dr,Cy,Jones,Chief Executive,ceo@leicester.example.org",
    "E06000016,leader,Cllr,Di,Patel,Leader of the Council,leader@leicester.example.org",
]
POPULATION_ROWS = [
    "E07000129,2019,101000",
    'E07000129,2020,"102,500"',
    "E06000016,2019,355218",
    "E06000016,2021,368600",
]
EXAMPLES = 250  # per importer: with the decisions' 350, over 1,000 files in all
REGISTER_FILES = {
    "councils": (COUNCILS, bad_files(COUNCILS.columns, COUNCIL_ROWS, ["county", "type"])),
    "contacts": (CONTACTS, bad_files(CONTACTS.columns, CONTACT_ROWS, ["phone", "name"])),
    "populations": (POPULATIONS, bad_files(POPULATIONS.columns, POPULATION_ROWS, ["estimate", "council"])),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REGISTER_FILES))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_register_import_fuzzed_files_all_or_nothing_with_line_and_column(name, council, other_council, data):
    importer, files = REGISTER_FILES[name]
    file = data.draw(files, label="file")

    with transaction.atomic():
        assert_all_or_nothing(importer, file)
        transaction.set_rollback(True)


KNOWN_BAD = [
    (
        COUNCILS,
        "E07000990,Testdale,district,,East Midlands,,,\n".replace("Testdale", "T" * 201),
        "line 2, name: longer than 200 characters",
    ),
    (
        COUNCILS,
        "E07000990,Testdale,district,,East Midlands,,,\n".replace("East Midlands", "R" * 101),
        "line 2, region: longer than 100 characters",
    ),
    (
        COUNCILS,
        "E07000990,Testdale,district,,East Midlands,,," + "F" * 201 + "\n",
        "line 2, formal_name: longer than 200 characters",
    ),
    (
        COUNCILS,
        "E10000990,Testshire,county,E10000990,East Midlands,,,\n",
        "line 2, county_gss_code: a county council does not belong to a county",
    ),
    (
        COUNCILS,
        "E07٠٠٠٩٩٠,Testdale,district,,East Midlands,,,\n",
        "line 2, gss_code: 'E07٠٠٠٩٩٠' is not a GSS code (a capital letter and 8 digits, e.g. E07000129)",
    ),
    (
        COUNCILS,
        "E07000990,Test\x07dale,district,,East Midlands,,,\n",
        "line 2, name: contains a control character (U+0007); only tabs and line breaks are allowed",
    ),
    (
        COUNCILS,
        "E07000990,Testdale,district,,East Midlands,2020-02-30,,\n",
        "line 2, active_from: 2020-02-30 is not a date",
    ),
    (
        CONTACTS,
        "E07000129,chief_executive,Ms,,Okoro,Chief Executive,ceo@blaby.example.org\n",
        "line 2, first_name: is empty",
    ),
    (
        CONTACTS,
        "E07000129,chief_executive,Ms,Ada,Okoro,Chief Executive," + "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org\n",
        "line 2, email: longer than 254 characters",
    ),
    (
        POPULATIONS,
        "E07000129,2019,1\x1b00\n",
        "line 2, population: contains a control character (U+001B); only tabs and line breaks are allowed",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("importer", "row", "error"), KNOWN_BAD)
def test_register_import_refuses_known_bad_cells_by_line_and_column(importer, row, error, council, other_council):
    header = ",".join(importer.columns) + "\n"

    failure = assert_all_or_nothing(importer, (header + row).encode())

    assert [str(e) for e in failure.errors] == [error]
