import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from councils.importing import contacts_import, councils_import, formal_names_read, populations_import
from councils.models import AuthorityType, Contact, Council, Population
from ombudsman.csvio import ImportFailed
from ombudsman.settings import SHARED_DATA_DIR

HEADER = "gss_code,name,authority_type,county_gss_code,region,active_from,active_to\n"
REGISTER = SHARED_DATA_DIR / "councils.csv"
FORMAL_NAMES = SHARED_DATA_DIR / "formal_names.csv"

needs_register = pytest.mark.skipif(
    not (REGISTER.exists() and FORMAL_NAMES.exists()),
    reason="the shared register ../shared/data/councils.csv and formal_names.csv are not present",
)


@needs_register
@pytest.mark.django_db
def test_import_councils_register_creates_350_councils_with_their_own_titles():
    call_command("import_councils", str(REGISTER), formal_names=str(FORMAL_NAMES))

    assert Council.objects.count() == 350
    assert Council.objects.filter(formal_name=models.F("name")).count() == 0
    bristol = Council.objects.get(gss_code="E06000023")
    assert (bristol.name, bristol.formal_name, bristol.authority_type) == (
        "Bristol, City of",
        "Bristol City Council",
        "unitary",
    )
    blaby = Council.objects.get(gss_code="E07000129")
    assert (blaby.formal_name, blaby.county.gss_code) == ("Blaby District Council", "E10000018")
    titles = dict(
        Council.objects.filter(gss_code__in=["E07000008", "E07000106", "E06000047", "E09000008"]).values_list(
            "gss_code", "formal_name"
        )
    )
    assert titles == {
        "E07000008": "Cambridge City Council",
        "E07000106": "Canterbury City Council",
        "E06000047": "Durham County Council",
        "E09000008": "London Borough of Croydon",
    }


@needs_register
@pytest.mark.django_db
def test_councils_sort_by_the_name_people_look_for():
    councils_import(REGISTER.read_bytes(), formal_names=formal_names_read(FORMAL_NAMES.read_bytes()))

    names = list(Council.objects.values_list("name", flat=True))

    assert names.index("Dudley") < names.index("County Durham") < names.index("Ealing")
    assert names.index("Cotswold") < names.index("Coventry")  # "County Durham" is not among the C's
    assert names == sorted(names, key=lambda name: name.removeprefix("County "))


@needs_register
@pytest.mark.django_db
def test_import_councils_reimport_changes_nothing():
    call_command("import_councils", str(REGISTER), formal_names=str(FORMAL_NAMES))
    before = list(Council.objects.order_by("pk").values())
    events_before = Council.pgh_event_model.objects.count()

    result = councils_import(REGISTER.read_bytes(), formal_names=formal_names_read(FORMAL_NAMES.read_bytes()))

    assert (result.created, result.updated, result.unchanged) == (0, 0, 350)
    assert list(Council.objects.order_by("pk").values()) == before
    assert Council.pgh_event_model.objects.count() == events_before


@needs_register
@pytest.mark.django_db
def test_import_councils_active_counts_match_register():
    import datetime

    councils_import(REGISTER.read_bytes())

    counts = [Council.objects.active_on(datetime.date(year, 4, 1)).count() for year in range(2019, 2025)]
    assert counts == [343, 339, 333, 333, 317, 317]


@pytest.mark.django_db
def test_import_councils_keeps_edited_formal_name_and_applies_given_one():
    councils_import(HEADER + "E07000129,Blaby,district,,East Midlands,,\n")
    Council.objects.filter(gss_code="E07000129").update(formal_name="Blaby DC")

    councils_import(HEADER + "E07000129,Blaby,district,,East Midlands,,\n")
    assert Council.objects.get().formal_name == "Blaby DC"

    councils_import(
        HEADER.replace("\n", ",formal_name\n") + "E07000129,Blaby,district,,East Midlands,,,Blaby District Council\n"
    )
    assert Council.objects.get().formal_name == "Blaby District Council"


@pytest.mark.django_db
def test_import_councils_new_council_without_a_title_has_its_ons_name():
    councils_import(HEADER + "E07000008,Cambridge,district,,East of England,,\n")

    assert Council.objects.get().formal_name == "Cambridge"


@pytest.mark.django_db
def test_import_councils_formal_names_file_applies_and_the_column_wins():
    councils_import(HEADER + "E07000008,Cambridge,district,,East of England,,\n")
    names = {"E07000008": "Cambridge City Council", "E07000106": "Canterbury City Council"}

    councils_import(HEADER + "E07000008,Cambridge,district,,East of England,,\n", formal_names=names)
    councils_import(
        HEADER.replace("\n", ",formal_name\n")
        + "E07000106,Canterbury,district,,South East,,,Canterbury Council\n"
        + "E07000129,Blaby,district,,East Midlands,,,\n",
        formal_names=names | {"E07000129": "Blaby District Council"},
    )

    assert dict(Council.objects.values_list("gss_code", "formal_name")) == {
        "E07000008": "Cambridge City Council",
        "E07000106": "Canterbury Council",
        "E07000129": "Blaby District Council",
    }


@pytest.mark.django_db
def test_import_councils_reads_a_run_of_spaces_in_a_name_as_one(tmp_path):
    register, titles = tmp_path / "register.csv", tmp_path / "titles.csv"
    register.write_text(
        HEADER.replace("\n", ",formal_name\n")
        + "E06000024,North  Somerset,unitary,,South West,,,\n"
        + "E07000129,Blaby,district,,East Midlands,,,Blaby \u00a0District   Council\n"
    )
    titles.write_text("gss_code,formal_name\nE06000024,North Somerset  Council\nE07000129,Blaby Council\n")

    call_command("import_councils", str(register), formal_names=str(titles))

    assert sorted(Council.objects.values_list("gss_code", "name", "formal_name")) == [
        ("E06000024", "North Somerset", "North Somerset Council"),
        ("E07000129", "Blaby", "Blaby District Council"),
    ]


def test_formal_names_read_keeps_refusing_a_tab_or_line_break_between_words():
    with pytest.raises(ImportFailed) as failure:
        formal_names_read("gss_code,formal_name\nE07000008,Cambridge\tCity Council\n")

    assert [str(error) for error in failure.value.errors] == [
        "line 2, formal_name: Enter this on one line, without line breaks, tabs or other control characters",
    ]


def test_formal_names_read_lists_every_bad_line():
    with pytest.raises(ImportFailed) as failure:
        formal_names_read(
            "gss_code,formal_name\nE07000008,Cambridge City Council\nE0700,Somewhere\nE07000008,Again\n"
            + "E07000106,\nE07000129,Blaby\u2028District Council\n"
        )

    assert [str(error) for error in failure.value.errors] == [
        "line 3, gss_code: 'E0700' is not a GSS code (e.g. E07000129)",
        "line 4, gss_code: E07000008 appears more than once (first on line 2)",
        "line 5, formal_name: is empty",
        "line 6, formal_name: Enter this on one line, without line breaks, tabs or other control characters",
    ]


@pytest.mark.django_db
def test_import_councils_command_reports_a_bad_formal_names_file_by_its_name(tmp_path, capsys):
    register, names = tmp_path / "register.csv", tmp_path / "titles.csv"
    register.write_text(HEADER + "E07000008,Cambridge,district,,East of England,,\n")
    names.write_text("gss_code,formal_name\nE07000008,\n")

    with pytest.raises(CommandError, match=re.escape("1 error(s) in titles.csv; no councils were imported")):
        call_command("import_councils", str(register), formal_names=str(names))

    assert capsys.readouterr().err == "titles.csv: line 2, formal_name: is empty\n"
    assert Council.objects.count() == 0


@pytest.mark.django_db
def test_import_councils_bad_file_writes_nothing_and_names_each_line():
    bad = (
        HEADER
        + "E07000129,Blaby,district,,East Midlands,,\n"  # line 2: good
        + "E07000130,Charnwood,parish,,East Midlands,,\n"  # line 3: unknown type
        + "X1234,Nowhere,district,,East Midlands,,\n"  # line 4: bad code
        + "E07000131,Harborough,district,,East Midlands,2019-02-30,\n"  # line 5: bad date
        + "E07000129,Blaby again,district,,East Midlands,,\n"  # line 6: duplicate code
    )

    with pytest.raises(ImportFailed) as failure:
        councils_import(bad)

    assert [(error.line, error.column) for error in failure.value.errors] == [
        (3, "authority_type"),
        (4, "gss_code"),
        (5, "active_from"),
        (6, "gss_code"),
    ]
    assert str(failure.value.errors[2]) == "line 5, active_from: 2019-02-30 is not a date"
    assert Council.objects.count() == 0


@pytest.mark.django_db
def test_import_councils_rejects_type_not_matching_code():
    with pytest.raises(ImportFailed) as failure:
        councils_import(HEADER + "E07000129,Blaby,county,,East Midlands,,\n")

    assert (
        str(failure.value.errors[0])
        == "line 2, authority_type: county does not match code E07000129, which is a district council code"
    )


@pytest.mark.django_db
def test_import_councils_other_body_has_type_other():
    councils_import(HEADER + "E31000046,Leicestershire Fire and Rescue,other,,East Midlands,,\n")

    assert Council.objects.get().authority_type == AuthorityType.OTHER


@pytest.mark.django_db
def test_import_councils_command_exits_non_zero_and_reports_lines(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "E07000129,Blaby,nonsense,,East Midlands,,\n")

    with pytest.raises(CommandError, match="1 error"):
        call_command("import_councils", str(path))

    assert "line 2, authority_type" in capsys.readouterr().err


@pytest.mark.django_db
def test_import_councils_rejects_missing_columns_and_non_utf8():
    with pytest.raises(ImportFailed) as missing:
        councils_import("gss_code,name\nE07000129,Blaby\n")
    with pytest.raises(ImportFailed) as encoding:
        councils_import((HEADER + "E07000129,Bl\xe9by,district,,East Midlands,,\n").encode("latin-1"))

    assert "missing column(s): authority_type" in str(missing.value.errors[0])
    assert "not UTF-8" in str(encoding.value.errors[0])


@pytest.mark.django_db
def test_import_contacts_replaces_contact_of_same_role_and_keeps_history(council):
    header = "gss_code,role,title,first_name,last_name,job_title,email\n"
    contacts_import(header + "E07000129,chief_executive,Mrs,Jane,Smith,Chief Executive,jane@blaby.example.org\n")

    again = contacts_import(
        header + "E07000129,chief_executive,Mrs,Jane,Smith,Chief Executive,jane@blaby.example.org\n"
    )
    replaced = contacts_import(
        header + "E07000129,chief_executive,Mr,Raj,Patel,Chief Executive,raj@blaby.example.org\n"
    )

    assert (again.unchanged, replaced.created) == (1, 1)
    current = Contact.objects.get(council=council, role="chief_executive", is_current=True)
    assert (current.salutation, Contact.objects.filter(council=council).count()) == ("Mr Patel", 2)


@pytest.mark.django_db
def test_import_contacts_bad_rows_write_nothing(council):
    header = "gss_code,role,title,first_name,last_name,job_title,email\n"
    bad = (
        header
        + "E07000129,chief_executive,Mrs,Jane,Smith,CEO,jane@blaby.example.org\nE99999999,mayor,,A,,,not-an-email\n"
    )

    with pytest.raises(ImportFailed) as failure:
        contacts_import(bad)

    assert [(error.line, error.column) for error in failure.value.errors] == [
        (3, "email"),
        (3, "gss_code"),
        (3, "last_name"),
        (3, "role"),
    ]
    assert Contact.objects.count() == 0


@pytest.mark.django_db
def test_import_populations_upserts_and_rejects_bad_numbers(council):
    populations_import("gss_code,year,population\nE07000129,2019,101000\n")
    result = populations_import("gss_code,year,population\nE07000129,2019,102000\nE07000129,2020,103000\n")

    assert (result.created, result.updated) == (1, 1)
    assert list(Population.objects.order_by("year").values_list("population", flat=True)) == [102000, 103000]
    with pytest.raises(ImportFailed) as failure:
        populations_import("gss_code,year,population\nE07000129,2021,-5\nE07000129,20x1,5\n")
    assert [(e.line, e.column) for e in failure.value.errors] == [(2, "population"), (3, "year")]
