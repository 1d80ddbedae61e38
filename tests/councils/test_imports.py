import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from councils.importing import contacts_import, councils_import, populations_import
from councils.models import AuthorityType, Contact, Council, Population
from ombudsman.csvio import ImportFailed
from ombudsman.settings import SHARED_DATA_DIR

HEADER = "gss_code,name,authority_type,county_gss_code,region,active_from,active_to\n"
REGISTER = SHARED_DATA_DIR / "councils.csv"

needs_register = pytest.mark.skipif(
    not REGISTER.exists(), reason="the shared register ../shared/data/councils.csv is not present"
)


@needs_register
@pytest.mark.django_db
def test_import_councils_register_creates_350_councils():
    call_command("import_councils", str(REGISTER))

    assert Council.objects.count() == 350
    bristol = Council.objects.get(gss_code="E06000023")
    assert (bristol.name, bristol.formal_name, bristol.authority_type) == (
        "Bristol, City of",
        "Bristol City Council",
        "unitary",
    )
    blaby = Council.objects.get(gss_code="E07000129")
    assert (blaby.formal_name, blaby.county.gss_code) == ("Blaby District Council", "E10000018")


@needs_register
@pytest.mark.django_db
def test_import_councils_reimport_changes_nothing():
    call_command("import_councils", str(REGISTER))
    before = list(Council.objects.order_by("pk").values())
    events_before = Council.pgh_event_model.objects.count()

    result = councils_import(REGISTER.read_bytes())

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


@pytest.mark.parametrize(
    ("gss_code", "name", "authority_type", "expected"),
    [
        ("E07000129", "Blaby", "district", "Blaby District Council"),
        ("E06000023", "Bristol, City of", "unitary", "Bristol City Council"),
        ("E06000019", "Herefordshire, County of", "unitary", "Herefordshire Council"),
        ("E06000018", "Nottingham", "unitary", "Nottingham City Council"),
        ("E06000038", "Reading", "unitary", "Reading Borough Council"),
        ("E08000025", "Birmingham", "metropolitan_borough", "Birmingham City Council"),
        ("E08000016", "Barnsley", "metropolitan_borough", "Barnsley Metropolitan Borough Council"),
        ("E08000013", "St. Helens", "metropolitan_borough", "St Helens Borough Council"),
        ("E08000001", "Bolton", "metropolitan_borough", "Bolton Council"),
        ("E09000003", "Barnet", "london_borough", "London Borough of Barnet"),
        ("E09000001", "City of London", "london_borough", "City of London Corporation"),
        ("E10000018", "Leicestershire", "county", "Leicestershire County Council"),
        ("E31000046", "Leicestershire Fire and Rescue", "other", "Leicestershire Fire and Rescue"),
    ],
)
def test_default_formal_name(gss_code, name, authority_type, expected):
    from councils.models import default_formal_name

    assert default_formal_name(gss_code=gss_code, name=name, authority_type=authority_type) == expected
