"""The demo's case files: a sample of open cases gets notes, small PDF documents and correspondence
through casefile's services (some enquiries answered, some awaiting the council); done once; deleted
with their cases by `generate_demo_data --replace`."""

import datetime
import io

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from casefile import uploads
from casefile.correspondence.models import Correspondence, CorrespondenceEmail, Direction, FilingStatus
from casefile.filters import complaints_awaiting_council_response
from casefile.models import Document, DocumentDownload, Note
from complaints.models import Complaint, Status
from councils.models import ContactRole
from demo.casefile import case_file_add, casefile_generate, small_pdf
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


def case_file_counts(complaint: Complaint) -> tuple[int, int, int, int, int]:
    return (
        Note.objects.filter(complaint=complaint).count(),
        Document.objects.filter(complaint=complaint).count(),
        DocumentDownload.objects.filter(document__complaint=complaint).count(),
        Correspondence.objects.filter(complaint=complaint).count(),
        CorrespondenceEmail.objects.filter(complaint=complaint).count(),
    )


def test_generate_demo_data_replace_deletes_the_replaced_cases_case_files(
    caseworker, council, other_council, django_capture_on_commit_callbacks, capsys
):
    factories.ContactFactory(council=council, role=ContactRole.LINK_OFFICER)
    replaced, kept = (
        factories.ComplaintFactory(
            council=council,
            received_on=received_on,
            status=Status.INVESTIGATION,
            assigned_to=caseworker,
            complainant_email="ada@example.org",
        )
        for received_on in (datetime.date(2021, 6, 1), datetime.date(2015, 6, 1))
    )
    with django_capture_on_commit_callbacks(execute=True):
        for complaint in (replaced, kept):
            case_file_add(complaint, 0)
    for complaint in (replaced, kept):
        DocumentDownload.objects.create(document=complaint.documents.first(), user=caseworker, at=timezone.now())
    files = {
        complaint.pk: list(Document.objects.filter(complaint=complaint).values_list("stored_name", flat=True))
        for complaint in (replaced, kept)
    }
    kept_counts = case_file_counts(kept)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("generate_demo_data", years="2021-22", scale=0.5, seed=1, replace=True)

    storage = storages["private"]
    assert kept_counts == (2, 4, 1, 3, 2)  # two letters emailed to one recipient each, and the council's reply
    assert not Complaint.objects.filter(pk=replaced.pk).exists()
    assert case_file_counts(replaced) == (0, 0, 0, 0, 0)
    assert [storage.exists(name) for name in files[replaced.pk]] == [False] * 4
    assert case_file_counts(kept) == kept_counts
    assert [storage.exists(name) for name in files[kept.pk]] == [True] * 4
    assert "Deleted 12 case-file records of 2021-22." in capsys.readouterr().out
