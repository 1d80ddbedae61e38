"""The demo's case files: a sample of open cases gets notes, small PDF documents and correspondence
through casefile's services (some enquiries answered, some awaiting the council); done once."""

import io

import pytest
from pypdf import PdfReader

from casefile import uploads
from casefile.correspondence.models import Correspondence, CorrespondenceEmail, Direction, FilingStatus
from casefile.filters import complaints_awaiting_council_response
from casefile.models import Document, Note
from complaints.models import Complaint, Status
from councils.models import ContactRole
from demo.casefile import casefile_generate, small_pdf
from tests import factories

pytestmark = pytest.mark.django_db


def test_small_pdf_is_a_pdf_with_its_text():
    data = small_pdf("Complaint form: 24 000 001", ["From: Ada (Lovelace)", "About: Blaby \\ District"])

    assert uploads.kind_of(data) is uploads.PDF
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert text.splitlines() == ["Complaint form: 24 000 001", "From: Ada (Lovelace)", "About: Blaby \\ District"]


def test_casefile_generate_fills_a_sample_of_open_cases_once(
    caseworker, council, other_council, django_capture_on_commit_callbacks
):
    cases = []
    for each in (council, other_council):
        factories.ContactFactory(council=each, role=ContactRole.LINK_OFFICER, email=f"link@{each.gss_code}.example")
        cases += [
            factories.ComplaintFactory(
                council=each, status=Status.INVESTIGATION, assigned_to=caseworker, complainant_email="ada@example.org"
            )
            for _ in range(2)
        ]
    factories.ComplaintFactory(council=council, status=Status.CLOSED, assigned_to=caseworker)

    with django_capture_on_commit_callbacks(execute=True):
        done = casefile_generate(count=2)
    again = casefile_generate(count=2)

    assert sorted(case.council_id for case in done) == sorted([council.pk, other_council.pk])  # one per council
    assert again == []
    assert Note.objects.count() == 3  # a call on each, a file note where the council answered
    assert sorted(Document.objects.values_list("file_name", flat=True)) == sorted(
        ["Complaint form.pdf"] * 2
        + ["Council response.pdf"]
        + [
            f"{case.reference} {kind} {case.correspondence.first().dated_on:%Y-%m-%d}.pdf"
            for case in done
            for kind in ("Acknowledgement of the complaint", "Enquiry to the council")
        ]
    )
    assert Correspondence.objects.filter(direction=Direction.OUTGOING, status=FilingStatus.FILED).count() == 4
    assert Correspondence.objects.filter(direction=Direction.INCOMING).count() == 1
    assert CorrespondenceEmail.objects.count() == 4  # one recipient each
    awaiting = complaints_awaiting_council_response(Complaint.objects.all())
    assert list(awaiting.values_list("pk", flat=True)) == [done[1].pk]
