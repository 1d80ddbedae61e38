"""The bulk import of decisions: complaints.importing and `manage.py import_decisions`."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from complaints.importing import decisions_check, decisions_import, plan, write
from complaints.importing.rows import parse
from complaints.models import (
    Complaint,
    ComplianceOutcome,
    Decision,
    Recommendation,
    ReferenceCounter,
    Status,
)
from ombudsman.csvio import ImportFailed
from tests import factories

HEADER = "reference,council_gss_code,received_on,category,decided_on,outcome,upheld_kind,compliance_outcome,compliance_recorded_on"
FULL_HEADER = HEADER + ",subcategory,summary,recommendations"
GOOD_ROWS = [
    "19 000 101,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,Homelessness,Late reply,",
    "19 000 102,E07000129,2019-05-02,housing,2019-06-01,referred_back,,,,,,",
    "19 000 103,E06000016,2019-05-03,highways-and-transport,2019-10-01,upheld,satisfactory_remedy_by_council,,,"
    "parking-and-other-penalties,,",
    "19 000 104,E07000129,2019-05-04,Housing,2019-11-01,upheld,injustice_remedy_recommended,complied_late,2020-02-01,"
    ",Repairs,apology:Apologise to Ms X:2019-12-01|financial_redress:Pay £250: for distress:2019-12-01:250"
    "|procedure_change:Review the repairs procedure:2020-01-31",
    "19 000 105,E07000129,2019-05-05,Housing,2019-11-02,upheld,injustice_remedy_recommended,,,,,apology:Apologise:2019-12-01",
]


def csv_file(*rows: str, header: str = FULL_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def errors_of(data: bytes) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        decisions_import(data)
    return [str(error) for error in failure.value.errors]


def history_count() -> int:
    return sum(
        model.pgh_event_model.objects.count() for model in (Complaint, Decision, Recommendation, ComplianceOutcome)
    )


def stored_state() -> list:
    return [
        list(Complaint.objects.order_by("pk").values()),
        list(Decision.objects.order_by("pk").values()),
        list(Recommendation.objects.order_by("pk").values()),
        list(ComplianceOutcome.objects.order_by("pk").values()),
    ]


@pytest.fixture
def councils(council, other_council):
    return council, other_council


@pytest.mark.django_db
def test_import_decisions_good_file_creates_whole_cases(councils):
    report = decisions_import(csv_file(*GOOD_ROWS))

    assert (report.rows, str(report)) == (5, "5 created, 0 updated, 0 unchanged")
    assert report.by_outcome() == [
        {"outcome": "Referred back for local resolution", "created": 1, "updated": 0, "unchanged": 0},
        {"outcome": "Not upheld", "created": 1, "updated": 0, "unchanged": 0},
        {"outcome": "Upheld", "created": 3, "updated": 0, "unchanged": 0},
    ]
    first = Complaint.objects.select_related("council", "category", "subcategory").get(reference="19 000 101")
    assert (first.council.gss_code, first.received_on, first.category.slug, first.subcategory.slug, first.summary) == (
        "E07000129",
        datetime.date(2019, 5, 1),
        "housing",
        "housing-homelessness",
        "Late reply",
    )
    statuses = dict(Complaint.objects.values_list("reference", "status"))
    assert statuses == {
        "19 000 101": Status.CLOSED,  # decided in a review year that has ended
        "19 000 102": Status.CLOSED,
        "19 000 103": Status.CLOSED,
        "19 000 104": Status.CLOSED,
        "19 000 105": Status.REMEDY_MONITORING,
    }
    remedied = Decision.objects.get(complaint__reference="19 000 104")
    assert (remedied.council.gss_code, remedied.outcome, remedied.upheld_kind, remedied.is_current) == (
        "E07000129",
        "upheld",
        "injustice_remedy_recommended",
        True,
    )
    assert list(
        remedied.recommendations.order_by("pk").values_list("type", "remedy_kind", "description", "amount")
    ) == [
        ("apology", "personal", "Apologise to Ms X", None),
        ("financial_redress", "personal", "Pay £250: for distress", Decimal("250.00")),
        ("procedure_change", "service_improvement", "Review the repairs procedure", None),
    ]
    assert (remedied.compliance.outcome, remedied.compliance.recorded_on, remedied.compliance.council_id) == (
        "complied_late",
        datetime.date(2020, 2, 1),
        remedied.council_id,
    )
    assert ReferenceCounter.objects.get(year="19").last_number == 105


@pytest.mark.django_db
@time_machine.travel(datetime.date(2020, 3, 15))
def test_import_decisions_in_the_current_review_year_stay_decided(council):
    decisions_import(
        csv_file(
            "19 000 101,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,",
            "19 000 102,E07000129,2019-01-01,Housing,2019-03-29,not_upheld,,,",
            header=HEADER,
        )
    )

    assert dict(Complaint.objects.values_list("reference", "status")) == {
        "19 000 101": Status.DECIDED,
        "19 000 102": Status.CLOSED,
    }


@pytest.mark.django_db
def test_import_decisions_reimport_changes_nothing_and_adds_no_history(councils):
    data = csv_file(*GOOD_ROWS)
    decisions_import(data)
    before, events_before = stored_state(), history_count()

    report = decisions_import(data)

    assert str(report) == "0 created, 0 updated, 5 unchanged"
    assert stored_state() == before
    assert history_count() == events_before


@pytest.mark.django_db
def test_import_decisions_accepts_reference_without_spaces_and_header_in_any_case(council):
    report = decisions_import(
        csv_file("19000101,e07000129,2019-05-01,HOUSING,2019-09-01,Not_Upheld,,,", header=HEADER.upper())
    )

    assert str(report) == "1 created, 0 updated, 0 unchanged"
    assert Complaint.objects.get().reference == "19 000 101"


@pytest.mark.django_db
def test_import_decisions_reimport_updates_changed_cases_only(councils):
    decisions_import(csv_file(*GOOD_ROWS))
    untouched = Complaint.objects.get(reference="19 000 102").updated_at
    changed = [
        # category and outcome change; upheld with remedies now
        "19 000 101,E07000129,2019-05-01,Planning and development,2019-09-01,upheld,injustice_remedy_recommended,,,"
        ",Late reply,staff_training:Train staff:2019-10-01",
        GOOD_ROWS[1],
        GOOD_ROWS[2],
        # recommendations replaced, compliance outcome changed
        "19 000 104,E07000129,2019-05-04,Housing,2019-11-01,upheld,injustice_remedy_recommended,not_complied,2020-03-01,"
        ",Repairs,apology:Apologise:2019-12-15",
        # compliance recorded now
        GOOD_ROWS[4].replace(",,,,,apology", ",complied_on_time,2020-01-05,,,apology"),
    ]

    report = decisions_import(csv_file(*changed))

    assert str(report) == "0 created, 3 updated, 2 unchanged"
    first = Complaint.objects.get(reference="19 000 101")
    assert (first.category.slug, first.subcategory, first.status) == (
        "planning-and-development",
        None,
        Status.REMEDY_MONITORING,
    )
    assert list(first.decisions.get().recommendations.values_list("type", "remedy_kind")) == [
        ("staff_training", "service_improvement")
    ]
    fourth = Decision.objects.get(complaint__reference="19 000 104")
    assert list(fourth.recommendations.values_list("description", "due_on")) == [
        ("Apologise", datetime.date(2019, 12, 15))
    ]
    assert (fourth.compliance.outcome, fourth.compliance.recorded_on) == ("not_complied", datetime.date(2020, 3, 1))
    assert Complaint.objects.get(reference="19 000 105").status == Status.CLOSED
    assert Complaint.objects.get(reference="19 000 102").updated_at == untouched
    assert Complaint.objects.count() == 5


@pytest.mark.django_db
def test_import_decisions_moves_both_dates_later_or_earlier(council):
    decisions_import(csv_file("19 000 101,E07000129,2019-05-01,Housing,2019-06-01,not_upheld,,,", header=HEADER))

    decisions_import(csv_file("19 000 101,E07000129,2019-08-01,Housing,2019-09-01,not_upheld,,,", header=HEADER))
    later = Decision.objects.select_related("complaint").get()
    decisions_import(csv_file("19 000 101,E07000129,2019-02-01,Housing,2019-03-01,not_upheld,,,", header=HEADER))
    earlier = Decision.objects.select_related("complaint").get()

    assert (later.complaint.received_on, later.decided_on) == (datetime.date(2019, 8, 1), datetime.date(2019, 9, 1))
    assert (earlier.complaint.received_on, earlier.decided_on) == (datetime.date(2019, 2, 1), datetime.date(2019, 3, 1))


@pytest.mark.django_db
def test_import_decisions_moves_case_to_another_council_with_its_decision_and_compliance(councils):
    decisions_import(csv_file(GOOD_ROWS[3]))

    decisions_import(csv_file(GOOD_ROWS[3].replace("E07000129", "E06000016")))

    decision = Decision.objects.select_related("complaint").get()
    assert {decision.complaint.council.gss_code, decision.council.gss_code, decision.compliance.council.gss_code} == {
        "E06000016"
    }


@pytest.mark.django_db
def test_import_decisions_decides_an_open_complaint(council):
    open_case = factories.ComplaintFactory(
        council=council, received_on=datetime.date(2019, 5, 1), status=Status.INVESTIGATION
    )

    report = decisions_import(
        csv_file(
            f"{open_case.reference},E07000129,2019-05-01,Housing,2019-09-01,upheld,no_significant_injustice,,",
            header=HEADER,
        )
    )

    assert str(report) == "0 created, 1 updated, 0 unchanged"
    open_case.refresh_from_db()
    decision = open_case.decisions.get()
    assert (open_case.status, decision.outcome, decision.upheld_kind, decision.council_id) == (
        Status.CLOSED,
        "upheld",
        "no_significant_injustice",
        council.pk,
    )


@pytest.mark.django_db
def test_import_decisions_without_optional_columns_keeps_stored_summary_and_recommendations(council):
    decisions_import(csv_file(GOOD_ROWS[4]))

    report = decisions_import(
        csv_file(
            "19 000 105,E07000129,2019-05-05,Housing,2019-11-02,upheld,injustice_remedy_recommended,,", header=HEADER
        )
    )

    assert str(report) == "0 created, 0 updated, 1 unchanged"
    assert Recommendation.objects.count() == 1


@pytest.mark.django_db
def test_import_decisions_never_removes_a_compliance_outcome(council):
    decisions_import(csv_file(GOOD_ROWS[3]))
    without = GOOD_ROWS[3].replace("complied_late,2020-02-01", ",")

    report = decisions_import(csv_file(without))
    errors = errors_of(
        csv_file(
            without.replace("injustice_remedy_recommended", "no_significant_injustice").split(",,Repairs")[0]
            + ",,Repairs,"
        )
    )

    assert str(report) == "0 created, 0 updated, 1 unchanged"
    assert ComplianceOutcome.objects.get().outcome == "complied_late"
    assert errors == [
        "line 2, upheld_kind: 19 000 104 has a compliance outcome (complied_late, recorded 2020-02-01), so it must "
        "stay upheld with remedies recommended"
    ]


BAD_ROWS = [
    ("19-000-101,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,,,",
     "line 2, reference: '19-000-101' is not a case reference (YY NNN NNN, e.g. 19 012 345)"),
    (",E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,,,", "line 2, reference: is empty"),
    ("١٩ ٠٠٠ ١٠١,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,,,",
     "line 2, reference: '١٩ ٠٠٠ ١٠١' is not a case reference (YY NNN NNN, e.g. 19 012 345)"),
    ("19 000 101,E07999999,2019-05-01,Housing,2019-09-01,not_upheld,,,,,,",
     "line 2, council_gss_code: 'E07999999' is not a council in the register"),
    ("19 000 101,E07000129,2019-05-01,Housingg,2019-09-01,not_upheld,,,,,,",
     "line 2, category: 'Housingg' is not a service category (give a top-level category's name or slug, e.g. Housing)"),
    ("19 000 101,E07000129,2019-05-01,Homelessness,2019-09-01,not_upheld,,,,,,",
     "line 2, category: 'Homelessness' is a sub-category of Housing: put 'Housing' here and the sub-category in the "
     "subcategory column"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,Parking,,",
     "line 2, subcategory: 'Parking' is not a sub-category of Housing"),
    ("19 000 101,E07000129,2020-02-30,Housing,2020-09-01,not_upheld,,,,,,", "line 2, received_on: 2020-02-30 is not a date"),
    ("19 000 101,E07000129,2019-05-01,Housing,2020-02-30,not_upheld,,,,,,", "line 2, decided_on: 2020-02-30 is not a date"),
    ("19 000 101,E07000129,01/05/2019,Housing,2019-09-01,not_upheld,,,,,,",
     "line 2, received_on: 01/05/2019 is not a date in the form YYYY-MM-DD"),
    ("19 000 101,E07000129,2019-05-01,Housing,2099-09-01,not_upheld,,,,,,", "line 2, decided_on: 2099-09-01 is in the future"),
    ("19 000 101,E07000129,1970-05-01,Housing,2019-09-01,not_upheld,,,,,,",
     "line 2, received_on: 1970-05-01 is before 1974, when the Ombudsman began"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-04-01,not_upheld,,,,,,",
     "line 2, decided_on: 2019-04-01 is before received_on (2019-05-01)"),
    ("19 000 101,E07000129,2019-05-01,Housing,,,,,,,,",
     "line 2, decided_on: is empty; every row is a decision|line 2, outcome: is empty"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,uphold,,,,,,",
     "line 2, outcome: 'uphold' is not one of advice_given, incomplete_invalid, referred_back, "
     "closed_after_initial_enquiries, not_upheld, upheld"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,,,,,,",
     "line 2, upheld_kind: is required when the outcome is upheld (injustice_remedy_recommended, "
     "no_significant_injustice, satisfactory_remedy_by_council)"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,no_significant_injustice,,,,,",
     "line 2, upheld_kind: must be empty unless the outcome is upheld"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,big,,,,,",
     "line 2, upheld_kind: 'big' is not one of injustice_remedy_recommended, no_significant_injustice, "
     "satisfactory_remedy_by_council"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,no_significant_injustice,complied_on_time,2019-10-01,,,",
     "line 2, compliance_outcome: is only recorded for upheld decisions with remedies recommended"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,injustice_remedy_recommended,complied,2019-10-01,,,",
     "line 2, compliance_outcome: 'complied' is not one of complied_on_time, complied_late, not_complied"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,injustice_remedy_recommended,complied_on_time,,,,",
     "line 2, compliance_recorded_on: is required with a compliance_outcome"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,injustice_remedy_recommended,,2019-10-01,,,",
     "line 2, compliance_recorded_on: must be empty when there is no compliance_outcome"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,injustice_remedy_recommended,not_complied,2019-08-01,,,",
     "line 2, compliance_recorded_on: 2019-08-01 is before decided_on (2019-09-01)"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,,,apology:Sorry:2019-10-01",
     "line 2, recommendations: are only made on upheld decisions with remedies recommended"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,injustice_remedy_recommended,,,,,apology:2019-10-01",
     "line 2, recommendations: item 1 ('apology:2019-10-01') is not type:description:due_date[:amount]"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,injustice_remedy_recommended,,,,,sorry:Sorry:2019-10-01",
     "line 2, recommendations: item 1 ('sorry:Sorry:2019-10-01'): 'sorry' is not one of apology, financial_redress, "
     "provide_service, decision, procedure_change, staff_training, review_other_cases, public_information, other"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,injustice_remedy_recommended,,,,,apology:Sorry:2019-02-30",
     "line 2, recommendations: item 1 ('apology:Sorry:2019-02-30'): 2019-02-30 is not a date"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,injustice_remedy_recommended,,,,,apology:Sorry:2019-08-01",
     "line 2, recommendations: item 1 ('apology:Sorry:2019-08-01'): due 2019-08-01, before decided_on (2019-09-01)"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,injustice_remedy_recommended,,,,,apology: :2019-10-01",
     "line 2, recommendations: item 1 ('apology: :2019-10-01'): the description is empty"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,injustice_remedy_recommended,,,,,apology:Sorry:2019-10-01:50",
     "line 2, recommendations: item 1 ('apology:Sorry:2019-10-01:50'): only financial_redress has an amount"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,upheld,injustice_remedy_recommended,,,,,"
     "apology:Sorry:2019-10-01|financial_redress:Pay:2019-10-01:0",
     "line 2, recommendations: item 2 ('financial_redress:Pay:2019-10-01:0'): the amount must be more than £0 and at "
     "most £99,999,999.99"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,,", "line 2: expected 12 cells, found 11"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,,\x00,", "line 2, summary: contains a NUL character"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,,bell\x07,",
     "line 2, summary: contains a control character (U+0007); only tabs and line breaks are allowed"),
    ("19 000 101,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,," + "x" * 10_001 + ",",
     "line 2, summary: longer than 10,000 characters"),
    ('19 000 101,E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,,"unclosed,',
     "line 2: this row cannot be read as CSV (unexpected end of data)"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "expected"),
    BAD_ROWS,
    ids=[expected.split(":")[0] + " " + str(n) for n, (_, expected) in enumerate(BAD_ROWS)],
)
def test_import_decisions_bad_row_is_reported_with_line_and_column(councils, row, expected):
    assert errors_of(csv_file(row)) == expected.split("|")
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_import_decisions_one_bad_row_writes_nothing_and_lists_every_error(councils):
    rows = [*GOOD_ROWS, GOOD_ROWS[0], "19 000 106,E07000129,2019-05-01,Housing,2020-02-30,upheld,,,,,,"]

    errors = errors_of(csv_file(*rows))

    assert errors == [
        "line 7, reference: 19 000 101 appears more than once (first on line 2)",
        "line 8, decided_on: 2020-02-30 is not a date",
        "line 8, upheld_kind: is required when the outcome is upheld (injustice_remedy_recommended, "
        "no_significant_injustice, satisfactory_remedy_by_council)",
    ]
    assert stored_state() == [[], [], [], []]
    assert not ReferenceCounter.objects.exists()


@pytest.mark.django_db
def test_import_decisions_council_must_exist_on_date_received_and_warns_after_abolition():
    abolished = factories.CouncilFactory(
        name="Aylesbury Vale", gss_code="E07000004", active_to=datetime.date(2020, 3, 31)
    )
    successor = factories.CouncilFactory(
        name="Buckinghamshire", gss_code="E06000060", authority_type="unitary", active_from=datetime.date(2020, 4, 1)
    )

    errors = errors_of(
        csv_file(
            f"20 000 001,{abolished.gss_code},2020-04-01,Housing,2020-06-01,not_upheld,,,,,,",
            f"20 000 002,{successor.gss_code},2020-03-31,Housing,2020-06-01,not_upheld,,,,,,",
        )
    )
    report = decisions_import(
        csv_file(f"20 000 003,{abolished.gss_code},2020-03-01,Housing,2020-06-01,not_upheld,,,,,,")
    )

    assert errors == [
        "line 2, council_gss_code: Aylesbury Vale (E07000004) was abolished on 2020-03-31 (received_on is 2020-04-01)",
        "line 3, council_gss_code: Buckinghamshire (E06000060) did not exist until 2020-04-01 (received_on is 2020-03-31)",
    ]
    assert [str(warning) for warning in report.warnings] == [
        "line 2, decided_on: 2020-06-01 is after Aylesbury Vale (E07000004) was abolished on 2020-03-31; the case "
        "stays with that council"
    ]
    assert Complaint.objects.get().council == abolished


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "line 1: the file is empty; it needs a header row: " + HEADER),
        (csv_file(header="reference,council_gss_code"), "line 1: missing column(s): received_on, category, decided_on, "
         "outcome, upheld_kind, compliance_outcome, compliance_recorded_on"),
        (csv_file(header=HEADER + ",notes"), "line 1: unknown column(s): 'notes'; expected " + FULL_HEADER
             + ",received_against_gss_code"),
        (csv_file(header=HEADER + ",reference"), "line 1: column(s) appear more than once: reference"),
        ((HEADER + "\n19 000 101,E07000129,2019-05-01,Hôusing,2019-09-01,not_upheld,,,\n").encode("latin-1"),
         "line 2: the file is not UTF-8 text (byte 155 cannot be read); save it as CSV UTF-8 and try again"),
    ],
)  # fmt: skip
@pytest.mark.django_db
def test_import_decisions_file_level_errors(council, data, expected):
    assert errors_of(data) == [expected]


@pytest.mark.django_db
def test_decisions_check_counts_without_writing(councils):
    report = decisions_check(csv_file(*GOOD_ROWS))

    assert (report.ok, str(report), report.to_write) == (True, "5 created, 0 updated, 0 unchanged", 5)
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_import_decisions_history_names_the_command(council, tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_bytes(csv_file(GOOD_ROWS[0]))

    call_command("import_decisions", str(path))

    event = Decision.pgh_event_model.objects.select_related("pgh_context").get()
    assert (event.pgh_label, event.pgh_context.metadata["command"]) == ("insert", "import_decisions")
    assert Complaint.pgh_event_model.objects.get().pgh_context_id == event.pgh_context_id


@pytest.mark.django_db
def test_import_decisions_command_reports_counts_and_check_writes_nothing(councils, tmp_path, capsys):
    path = tmp_path / "decisions.csv"
    path.write_bytes(csv_file(*GOOD_ROWS))

    call_command("import_decisions", str(path), "--check")
    checked = capsys.readouterr().out
    call_command("import_decisions", str(path))
    imported = capsys.readouterr().out

    assert checked.splitlines()[-1] == "Checked 5 decisions from decisions.csv: 5 created, 0 updated, 0 unchanged."
    assert "  Upheld: 3 new, 0 updated, 0 unchanged" in imported.splitlines()
    assert imported.splitlines()[-1] == "Imported 5 decisions from decisions.csv: 5 created, 0 updated, 0 unchanged."
    assert Complaint.objects.count() == 5


@pytest.mark.django_db
def test_import_decisions_command_exits_non_zero_and_caps_the_list(council, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        csv_file(*(f"19 000 {n:03d},E07000129,2019-05-01,Housing,2020-02-30,not_upheld,,,,,," for n in range(1, 251)))
    )

    with pytest.raises(CommandError, match=r"^250 error\(s\) in bad.csv; no decisions were imported.$"):
        call_command("import_decisions", str(path))

    err = capsys.readouterr().err.splitlines()
    assert (len(err), err[0], err[-1]) == (
        201,
        "bad.csv: line 2, decided_on: 2020-02-30 is not a date",
        "... and 50 more",
    )
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_import_decisions_large_load_rebuilds_indexes_and_keys(councils, monkeypatch):
    def definitions():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'complaints_%%' UNION ALL "
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid::regclass::text LIKE 'complaints_%%'"
            )
            return sorted(row[0] for row in cursor.fetchall())

    monkeypatch.setattr(write, "BULK_LOAD_MIN_ROWS", 2)
    before = definitions()

    report = decisions_import(csv_file(*GOOD_ROWS))

    assert str(report) == "5 created, 0 updated, 0 unchanged"
    assert definitions() == before
    assert Recommendation.objects.count() == 4


@pytest.mark.django_db
def test_import_decisions_large_load_still_refused_by_the_database(councils, monkeypatch):
    """The database backstop holds during a bulk load: a row the validation let through by
    mistake (here, forced past it) rolls the whole load back."""
    monkeypatch.setattr(write, "BULK_LOAD_MIN_ROWS", 1)
    parsed = parse(csv_file(GOOD_ROWS[0], GOOD_ROWS[1]))
    parsed.rows[0][1].decided_on = datetime.date(2019, 1, 1)  # before received_on
    planned = plan.plan(parsed)

    with pytest.raises(IntegrityError, match="decision date cannot be before"), transaction.atomic():
        write.write(planned)

    assert Complaint.objects.count() == 0
