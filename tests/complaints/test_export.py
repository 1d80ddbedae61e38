"""CSV export of the filtered case list: formula-safe cells, logged, staff with the permission only."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from complaints.models import ExportLog
from complaints.selectors import EXPORT_HEADER
from tests import factories

pytestmark = pytest.mark.django_db


def export(client, **params) -> list[list[str]]:
    response = client.get(reverse("complaints:case-export"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cases-')
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_neutralises_formulas(client_for):
    factories.ComplaintFactory(
        complainant_name='=HYPERLINK("http://evil.example","Click")',
        complainant_phone="+44 20 7946 0000",
        complainant_address="-1+1",
        complainant_email="@example.org",
        summary="\tindented",
    )

    header, row = export(client_for("manager"))
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

    header, *rows = export(client_for("manager"), council=council.pk)

    assert header == EXPORT_HEADER
    assert len(rows) == 1
    cells = dict(zip(header, rows[0], strict=True))
    assert cells == {
        **cells,
        "reference": complaint.reference,
        "council_gss_code": "E07000129",
        "council": "Blaby District Council",
        "received_on": "2019-05-01",
        "decided_on": "2019-09-01",
        "outcome": "upheld",
        "upheld_kind": "injustice_remedy_recommended",
        "compliance_outcome": "complied_on_time",
        "compliance_recorded_on": str(compliance.recorded_on),
        "complainant_name": complaint.complainant_name,
    }


def test_export_is_logged_with_who_when_filter_and_rows(client_for, manager, council):
    factories.ComplaintFactory.create_batch(2, council=council)
    factories.ComplaintFactory()
    before = datetime.datetime.now(datetime.UTC)

    export(client_for("manager"), council=council.pk, status="received", page="3")

    log = ExportLog.objects.get()
    assert (log.user, log.row_count, log.query) == (manager, 2, f"council={council.pk}&status=received")
    assert log.created_at >= before


def test_export_of_an_invalid_filter_exports_nothing(client_for):
    factories.ComplaintFactory()

    _, *rows = export(client_for("manager"), council="not-a-council")

    assert rows == []
    assert ExportLog.objects.get().row_count == 0


def test_export_refused_without_the_permission_and_not_logged(client_for):
    response = client_for("caseworker").get(reverse("complaints:case-export"))

    assert response.status_code == 403
    assert not ExportLog.objects.exists()


def test_export_link_only_for_those_who_may_export(client_for):
    link = reverse("complaints:case-export")

    assert link in client_for("manager").get(reverse("complaints:case-list")).content.decode()
    client_for("anonymous").logout()
    assert link not in client_for("caseworker").get(reverse("complaints:case-list")).content.decode()
