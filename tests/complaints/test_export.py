"""CSV export of the filtered case list: without personal data for staff; with complainants' names and
contact details only for a manager, after a confirmation of how many people, with a reason; formula-safe
cells; every export logged."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import ExportLog
from complaints.selectors import export_header, export_people_count
from complaints.services.cases import export_log
from tests import factories

pytestmark = pytest.mark.django_db

WITHOUT_PERSONAL_DATA = [
    "reference",
    "council_gss_code",
    "council",
    "authority_type",
    "received_on",
    "category",
    "subcategory",
    "status",
    "decided_on",
    "outcome",
    "upheld_kind",
    "decision_form",
    "compliance_outcome",
    "compliance_recorded_on",
]
PERSONAL = reverse("complaints:case-export-personal")


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store, private"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def export(client, **params) -> list[list[str]]:
    response = client.get(reverse("complaints:case-export"), params)
    assert response["Content-Disposition"].startswith('attachment; filename="cases-20')
    return rows_of(response)


def personal_export(client, query: str = "", reason: str = "Writing to complainants about the council's move"):
    response = client.post(f"{PERSONAL}?{query}", {"reason": reason})
    assert response["Content-Disposition"].startswith('attachment; filename="cases-with-personal-data-')
    return rows_of(response)


def test_export_has_no_personal_data(client_for):
    complaint = factories.ComplaintFactory(complainant_phone="01632 960000", complainant_address="1 High Street")

    header, row = export(client_for("caseworker"))

    assert header == WITHOUT_PERSONAL_DATA
    assert header == export_header(personal=False)
    body = ",".join(row)
    for detail in (complaint.complainant_name, complaint.complainant_email, "01632 960000", "High Street"):
        assert detail not in body
    assert complaint.summary not in body


def test_personal_export_adds_the_personal_columns(client_for):
    factories.ComplaintFactory()

    header, _ = personal_export(client_for("manager"))

    assert header == export_header(personal=True)
    assert [name for name in header if name not in WITHOUT_PERSONAL_DATA] == [
        "assigned_to",
        "complainant_name",
        "complainant_email",
        "complainant_phone",
        "complainant_address",
        "summary",
        "decision_summary",
    ]


def test_personal_export_neutralises_formulas(client_for):
    factories.ComplaintFactory(
        complainant_name='=HYPERLINK("http://evil.example","Click")',
        complainant_phone="+44 20 7946 0000",
        complainant_address="-1+1",
        complainant_email="@example.org",
        summary="\tindented",
    )

    header, row = personal_export(client_for("manager"))
    cells = dict(zip(header, row, strict=True))

    assert cells["complainant_name"] == """'=HYPERLINK("http://evil.example","Click")"""
    assert cells["complainant_phone"] == "'+44 20 7946 0000"
    assert cells["complainant_address"] == "'-1+1"
    assert cells["complainant_email"] == "'@example.org"
    assert cells["summary"] == "'\tindented"


def test_export_neutralises_carriage_return_at_start():
    from ombudsman.csvio import safe_cell

    assert safe_cell("\r=1+1") == "'\r=1+1"


def test_export_has_the_filtered_cases_with_their_decision(client_for, council, other_council):
    compliance = factories.ComplianceOutcomeFactory(decision__complaint__council=council)
    factories.ComplaintFactory(council=other_council)
    complaint = compliance.decision.complaint

    header, *rows = export(client_for("caseworker"), council=council.pk)

    assert len(rows) == 1
    assert dict(zip(header, rows[0], strict=True)) == {
        "reference": complaint.reference,
        "council_gss_code": "E07000129",
        "council": "Blaby District Council",
        "authority_type": "district",
        "received_on": "2019-05-01",
        "category": complaint.category.name,
        "subcategory": "",
        "status": complaint.status,
        "decided_on": "2019-09-01",
        "outcome": "upheld",
        "upheld_kind": "injustice_remedy_recommended",
        "decision_form": compliance.decision.form,
        "compliance_outcome": "complied_on_time",
        "compliance_recorded_on": str(compliance.recorded_on),
    }


def test_personal_export_has_the_filtered_cases_with_the_complainant(client_for, council, other_council):
    complaint = factories.ComplaintFactory(council=council, complainant_phone="01632 960000")
    factories.ComplaintFactory(council=other_council)

    header, *rows = personal_export(client_for("manager"), query=f"council={council.pk}")

    assert len(rows) == 1
    cells = dict(zip(header, rows[0], strict=True))
    assert cells == {
        **cells,
        "reference": complaint.reference,
        "complainant_name": complaint.complainant_name,
        "complainant_email": complaint.complainant_email,
        "complainant_phone": "01632 960000",
        "summary": complaint.summary,
    }


def test_export_is_logged_with_who_when_filter_and_rows(client_for, caseworker, council):
    factories.ComplaintFactory.create_batch(2, council=council)
    factories.ComplaintFactory()
    before = datetime.datetime.now(datetime.UTC)

    export(client_for("caseworker"), council=council.pk, status="received", page="3")

    log = ExportLog.objects.get()
    assert (log.user, log.row_count, log.query, log.personal, log.reason) == (
        caseworker,
        2,
        f"council={council.pk}&status=received",
        False,
        "",
    )
    assert log.created_at >= before


def test_personal_export_is_logged_with_the_reason(client_for, manager, council):
    factories.ComplaintFactory.create_batch(3, council=council)
    factories.ComplaintFactory()

    personal_export(client_for("manager"), query=f"council={council.pk}&page=2", reason="  Mailing about a refund  ")

    log = ExportLog.objects.get()
    assert (log.user, log.row_count, log.query, log.personal, log.reason) == (
        manager,
        3,
        f"council={council.pk}",
        True,
        "Mailing about a refund",
    )
    assert log.events.values_list("pgh_label", "personal", "reason").get() == (
        "insert",
        True,
        "Mailing about a refund",
    )


def test_personal_export_page_says_how_many_people(client_for, council):
    factories.ComplaintFactory.create_batch(2, council=council)
    factories.ComplaintFactory(council=council, complainant_name="Ann Lee", complainant_email="ann@example.com")
    factories.ComplaintFactory(council=council, complainant_name="Ann Lee", complainant_email="ann@example.com")
    factories.ComplaintFactory(council=council, complainant_name="", complainant_email="")
    factories.ComplaintFactory()

    response = client_for("manager").get(PERSONAL, {"council": council.pk})

    page = response.content.decode()
    assert "This export will contain the names and contact details of 3 people." in page
    assert f'href="{reverse("complaints:case-list")}?council={council.pk}"' in page
    assert not ExportLog.objects.exists()


def test_personal_export_page_for_one_person_and_for_nobody(client_for, council, other_council):
    factories.ComplaintFactory(council=council)

    one = client_for("manager").get(PERSONAL, {"council": council.pk}).content.decode()
    nobody = client_for("manager").get(PERSONAL, {"council": other_council.pk}).content.decode()

    assert "will contain the names and contact details of 1 person." in one
    assert "the export would contain nobody's personal data" in nobody


def test_export_people_count_groups_identical_details(council):
    factories.ComplaintFactory(complainant_name="Ann Lee", complainant_email="ann@example.com")
    factories.ComplaintFactory(complainant_name="Ann Lee", complainant_email="ann@example.com")
    factories.ComplaintFactory(complainant_name="Ann Lee", complainant_email="ann.lee@example.com")
    factories.ComplaintFactory(complainant_name="", complainant_email="", complainant_phone="01632 960000")
    factories.ComplaintFactory(complainant_name="", complainant_email="")

    from complaints.models import Complaint

    assert export_people_count(Complaint.objects.all()) == 3


def test_personal_export_without_a_reason_is_refused_and_not_logged(client_for):
    factories.ComplaintFactory()

    response = client_for("manager").post(PERSONAL, {"reason": "   "})

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Say why you need complainants&#x27; names and contact details" in page
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("role", ["caseworker", "council_user"])
def test_personal_export_refused_to_a_non_manager_and_not_logged(client_for, role):
    factories.ComplaintFactory()

    response = client_for(role).post(PERSONAL, {"reason": "Curious"})

    assert response.status_code == 403
    assert not ExportLog.objects.exists()


def test_export_log_service_refuses_personal_data_without_manager_or_reason(caseworker, manager):
    with pytest.raises(ValidationError, match="Only a manager"):
        export_log(user=caseworker, query="", row_count=1, personal=True, reason="A reason")
    with pytest.raises(ValidationError, match="Say why"):
        export_log(user=manager, query="", row_count=1, personal=True, reason=" ")

    assert not ExportLog.objects.exists()


def test_export_of_an_invalid_filter_exports_nothing(client_for):
    factories.ComplaintFactory()

    _, *rows = export(client_for("caseworker"), council="not-a-council")
    _, *personal_rows = personal_export(client_for("manager"), query="council=not-a-council")

    assert rows == personal_rows == []
    assert list(ExportLog.objects.values_list("row_count", flat=True)) == [0, 0]


def test_export_refused_to_council_users_and_not_logged(client_for):
    response = client_for("council_user").get(reverse("complaints:case-export"))

    assert response.status_code == 403
    assert not ExportLog.objects.exists()


def test_export_links_for_those_who_may_export(client_for):
    link = reverse("complaints:case-export")

    manager_page = client_for("manager").get(reverse("complaints:case-list"), {"status": "received"}).content.decode()
    caseworker_page = client_for("caseworker").get(reverse("complaints:case-list")).content.decode()

    assert f'href="{link}?status=received"' in manager_page
    assert f'href="{PERSONAL}?status=received"' in manager_page
    assert f'href="{link}"' in caseworker_page
    assert PERSONAL not in caseworker_page
