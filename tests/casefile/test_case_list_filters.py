"""The case list's filters on the case file: cases with documents (kept, not deleted) and cases awaiting
the council's response (an enquiry sent to the council that no recorded response answers). Each is an
EXISTS: a case is listed once however many documents or letters it has."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from casefile.correspondence import services as correspondence
from casefile.correspondence.models import LetterKind, LetterTemplate, Method, Party
from casefile.services import document_delete, document_upload
from complaints import selectors
from complaints.filters import CaseFilter, MyCaseFilter
from councils.models import ContactRole
from tests import factories
from tests.casefile import files

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 3, 23, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def filtered(filterset_class=CaseFilter, **params) -> list[str]:
    filterset = filterset_class(params, queryset=selectors.complaint_list())
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("reference", flat=True))


def upload(complaint, by, count=1):
    return document_upload(
        complaint=complaint, by=by, files=[(f"evidence {index}.pdf", files.PDF) for index in range(count)]
    )


def send(capture, complaint, by, kind):
    """Send the template's draft as it is, filing it as after the request's commit."""
    template = LetterTemplate.objects.get(kind=kind)
    draft = correspondence.letter_draft(complaint=complaint, template=template, by=by)
    with capture(execute=True):
        letter = correspondence.letter_send(
            complaint=complaint,
            by=by,
            kind=kind,
            party=draft.party,
            subject=draft.subject,
            body=draft.body,
            method=Method.EMAIL,
            response_due=draft.response_due,
        )
    letter.refresh_from_db()
    return letter


def case(council, reference):
    return factories.ComplaintFactory(
        council=council,
        reference=reference,
        complainant_email="ada@example.org",
        received_on=datetime.date(2026, 3, 2),
    )


def test_has_documents_lists_each_case_with_a_kept_document_once(caseworker, manager, council):
    two = case(council, "26 000 001")
    upload(two, caseworker, count=2)
    deleted = case(council, "26 000 002")
    document_delete(document=upload(deleted, caseworker)[0], by=manager, reason="Sent to the wrong case.")
    case(council, "26 000 003")

    assert filtered(has_documents=True) == ["26 000 001"]
    assert sorted(filtered(has_documents=False)) == ["26 000 001", "26 000 002", "26 000 003"]


def test_awaiting_council_response_lists_cases_with_an_unanswered_enquiry(
    caseworker, council, django_capture_on_commit_callbacks
):
    factories.ContactFactory(council=council, role=ContactRole.LINK_OFFICER)
    awaiting = case(council, "26 000 011")
    send(django_capture_on_commit_callbacks, awaiting, caseworker, LetterKind.ENQUIRY)
    send(django_capture_on_commit_callbacks, awaiting, caseworker, LetterKind.ENQUIRY)  # listed once
    answered = case(council, "26 000 012")
    enquiry = send(django_capture_on_commit_callbacks, answered, caseworker, LetterKind.ENQUIRY)
    correspondence.letter_received_record(
        complaint=answered,
        by=caseworker,
        party=Party.COUNCIL,
        received_on=datetime.date(2026, 3, 23),
        subject="The council's response",
        method=Method.EMAIL,
        file=("response.pdf", files.PDF),
        replies_to=enquiry,
    )
    acknowledged = case(council, "26 000 013")  # written to the complainant only
    send(django_capture_on_commit_callbacks, acknowledged, caseworker, LetterKind.ACKNOWLEDGEMENT)
    case(council, "26 000 014")

    assert filtered(awaiting_council_response=True) == ["26 000 011"]
    assert filtered(awaiting_council_response=True, has_documents=True) == ["26 000 011"]  # its enquiry's PDF
    assert filtered(MyCaseFilter, awaiting_council_response=True) == ["26 000 011"]


def test_case_list_filters_on_the_case_file_tick_their_boxes_and_name_themselves_in_the_title(
    client_for, caseworker, council
):
    upload(case(council, "26 000 021"), caseworker)
    case(council, "26 000 022")

    response = client_for("caseworker").get(reverse("complaints:case-list"), {"has_documents": "on"})

    page = response.content.decode()
    assert [row.record.reference for row in response.context["table"].page.object_list] == ["26 000 021"]
    assert "<title>Cases: Only cases with documents" in page
    assert 'name="has_documents" class="govuk-checkboxes__input" id="id_has_documents" checked>' in page
    assert 'class="govuk-checkboxes__input" id="id_awaiting_council_response">' in page
    assert "An enquiry was sent to the council and no response is recorded yet" in page
