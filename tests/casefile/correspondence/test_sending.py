"""Sending a letter from a template: its PDF filed on the case with the letterhead, one email per
recipient through the outbox, exactly once whatever the task does; by post instead; the council's
casework contact; the sweep; and letters received answering an enquiry."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from casefile.correspondence import letters, services
from casefile.correspondence.models import (
    Correspondence,
    CorrespondenceEmail,
    Direction,
    FilingStatus,
    LetterKind,
    LetterTemplate,
    Method,
    Party,
)
from casefile.correspondence.outbox import LETTER_EMAILS
from casefile.models import Document
from casefile.policy import FILE_MAX_ATTEMPTS, FILE_MAX_RETRIES, FILE_STUCK_AFTER
from casefile.tasks import correspondence_file_task, letter_email_send_task
from councils.models import ContactRole
from ombudsman.outbox.rows import OutboxStatus
from ombudsman.pdf import tagging
from tests import factories
from tests.casefile import files

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 3, 23, 10, 0, tzinfo=datetime.UTC)  # a Monday before Easter


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def complaint(council):
    return factories.ComplaintFactory(
        council=council,
        complainant_name="Ada Lovelace",
        complainant_email="ada@example.org",
        complainant_address="1 Analytical Row\nLondon\nN1 1AA",
        received_on=datetime.date(2026, 3, 2),
    )


def send(capture, complaint, by, kind=LetterKind.ACKNOWLEDGEMENT, party=None, **kwargs) -> Correspondence:
    """Send the template's draft as it is, running the queued tasks as after the request's commit."""
    template = LetterTemplate.objects.get(kind=kind)
    draft = services.letter_draft(complaint=complaint, template=template, by=by, party=party)
    values = {
        "complaint": complaint,
        "by": by,
        "kind": kind,
        "party": draft.party,
        "subject": draft.subject,
        "body": draft.body,
        "method": Method.EMAIL,
        "response_due": draft.response_due,
        **kwargs,
    }
    with capture(execute=True):
        letter = services.letter_send(**values)
    letter.refresh_from_db()
    return letter


def pdf_text(document: Document) -> str:
    with storages["private"].open(document.stored_name, "rb") as handle:
        data = handle.read()
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_default_templates_exist_for_every_kind_with_valid_placeholders():
    templates = {template.kind: template for template in LetterTemplate.objects.all()}

    assert sorted(templates) == sorted(LetterKind.values)
    assert templates[LetterKind.ENQUIRY].response_days == 20
    assert templates[LetterKind.ENQUIRY].addressed_to == Party.COUNCIL
    assert "{response_due}" in templates[LetterKind.ENQUIRY].body


def test_draft_fills_the_placeholders_from_the_case(complaint, caseworker):
    template = LetterTemplate.objects.get(kind=LetterKind.ENQUIRY)
    factories.ContactFactory(
        council=complaint.council, role=ContactRole.LINK_OFFICER, first_name="Lin", last_name="Kay", title=""
    )

    draft = services.letter_draft(complaint=complaint, template=template, by=caseworker)

    # 20 working days after Monday 23 March 2026: Good Friday and Easter Monday are not counted.
    assert draft.response_due == datetime.date(2026, 4, 22)
    assert draft.party == Party.COUNCIL
    assert draft.subject == f"Complaint {complaint.reference}: enquiry"
    assert draft.body.startswith("Dear Lin Kay,\n\nOn 2 March 2026 we received a complaint about ")
    assert "by 22 April 2026:\n\n- the council's response" in draft.body
    assert "{" not in draft.body


def test_sending_by_email_files_the_pdf_and_emails_it_once(complaint, caseworker, django_capture_on_commit_callbacks):
    letter = send(django_capture_on_commit_callbacks, complaint, caseworker)

    assert letter.status == FilingStatus.FILED
    document = letter.document
    assert (document.complaint, document.content_type, document.uploaded_by) == (
        complaint,
        "application/pdf",
        caseworker,
    )
    assert document.file_name == f"{complaint.reference} Acknowledgement of the complaint 2026-03-23.pdf"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert message.subject == f"Your complaint about {complaint.council} (our reference {complaint.reference})"
    assert message.extra_headers["Message-ID"] == letter.emails.get().message_id
    [(name, data, content_type)] = message.attachments
    assert (name, content_type) == (document.file_name, "application/pdf")
    assert data == storages["private"].open(document.stored_name, "rb").read()
    row = letter.emails.get()
    assert (row.status, row.recipient, row.attempts, row.complaint_id) == (
        OutboxStatus.SENT,
        "ada@example.org",
        1,
        complaint.pk,
    )


def test_the_pdf_has_the_letterhead_the_addressee_and_the_text_and_is_tagged(
    complaint, caseworker, django_capture_on_commit_callbacks
):
    letter = send(django_capture_on_commit_callbacks, complaint, caseworker)

    text = pdf_text(letter.document)
    assert "Local Government" in text or "Ombudsman" in text  # the organisation's name on the letterhead
    assert "23 March 2026" in text
    assert "By email" in text
    assert "Ada Lovelace\n1 Analytical Row\nLondon\nN1 1AA" in text
    assert f"Our reference: {complaint.reference}" in text
    assert "Thank you for your complaint about" in text
    assert "Yours sincerely," in text
    data = storages["private"].open(letter.document.stored_name, "rb").read()
    assert tagging.structure_problems(data) == []


def test_a_retried_or_duplicated_task_files_one_pdf_and_sends_one_email(
    complaint, caseworker, django_capture_on_commit_callbacks
):
    letter = send(django_capture_on_commit_callbacks, complaint, caseworker)
    row = letter.emails.get()

    with django_capture_on_commit_callbacks(execute=True):
        correspondence_file_task.delay(letter.pk)
        correspondence_file_task.delay(letter.pk)
        letter_email_send_task.delay(row.pk)
        assert services.letter_file(correspondence_id=letter.pk) is False
        assert LETTER_EMAILS.send(row.pk) is False

    assert len(mail.outbox) == 1
    assert Document.objects.filter(complaint=complaint).count() == 1
    assert CorrespondenceEmail.objects.count() == 1


def test_an_enquiry_goes_to_the_complaints_contact_else_the_link_officer(
    complaint, caseworker, django_capture_on_commit_callbacks
):
    council = complaint.council
    factories.ContactFactory(council=council, role=ContactRole.LINK_OFFICER, email="link@council.example.org")
    to_link = send(django_capture_on_commit_callbacks, complaint, caseworker, kind=LetterKind.ENQUIRY)
    factories.ContactFactory(
        council=council, role=ContactRole.COMPLAINTS_CONTACT, email="complaints@council.example.org"
    )
    to_contact = send(django_capture_on_commit_callbacks, complaint, caseworker, kind=LetterKind.ENQUIRY)

    assert [m.to for m in mail.outbox] == [["link@council.example.org"], ["complaints@council.example.org"]]
    assert (to_link.response_due, to_link.party) == (datetime.date(2026, 4, 22), Party.COUNCIL)
    assert to_contact.document.shared_with_council is True


def test_without_an_address_email_is_refused_and_post_is_recorded(
    complaint, caseworker, django_capture_on_commit_callbacks
):
    complaint.complainant_email = ""
    complaint.save()

    with pytest.raises(ValidationError) as refused:
        send(django_capture_on_commit_callbacks, complaint, caseworker)
    posted = send(
        django_capture_on_commit_callbacks,
        complaint,
        caseworker,
        method=Method.POST,
        posted_on=datetime.date(2026, 3, 23),
    )

    assert refused.value.message_dict == {
        "method": ["The case has no email address for the complainant: add one to the case, or send the letter by post"]
    }
    assert (posted.status, posted.posted_on, posted.recipient_email) == (
        FilingStatus.FILED,
        datetime.date(2026, 3, 23),
        "",
    )
    assert "By post" in pdf_text(posted.document)
    assert mail.outbox == []
    assert CorrespondenceEmail.objects.count() == 0


def test_a_council_without_a_casework_contact_can_only_be_written_to_by_post(
    complaint, caseworker, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as refused:
        send(django_capture_on_commit_callbacks, complaint, caseworker, kind=LetterKind.ENQUIRY)

    assert list(refused.value.message_dict) == ["method"]
    assert "no complaints contact or link officer" in refused.value.message_dict["method"][0]


def test_a_letter_that_cannot_be_rendered_is_retried_then_marked_failed(
    complaint, caseworker, django_capture_on_commit_callbacks, monkeypatch, request
):
    def broken(letter):
        raise OSError("disk full")

    monkeypatch.setattr(letters, "letter_pdf", broken)
    send(django_capture_on_commit_callbacks, complaint, caseworker)  # the task's retry is queued, not run
    letter = Correspondence.objects.get()
    waiting = (letter.status, letter.document, letter.attempts)
    request.getfixturevalue("retries_run_at_once")  # from here the task's retries run at once, as a worker's would

    correspondence_file_task.apply(args=[letter.pk], throw=False)

    letter.refresh_from_db()
    assert waiting == (FilingStatus.PENDING, None, 1)
    assert (letter.status, letter.error) == (FilingStatus.FAILED, "OSError: disk full")
    assert letter.attempts == 1 + 1 + FILE_MAX_RETRIES
    assert Document.objects.count() == 0
    assert mail.outbox == []


def test_filing_stops_after_its_attempts(complaint, caseworker, django_capture_on_commit_callbacks):
    letter = services.letter_send(
        complaint=complaint,
        by=caseworker,
        kind=LetterKind.ACKNOWLEDGEMENT,
        party=Party.COMPLAINANT,
        subject="Hello",
        body="Text",
        method=Method.EMAIL,
    )
    Correspondence.objects.filter(pk=letter.pk).update(attempts=FILE_MAX_ATTEMPTS)

    assert services.letter_file(correspondence_id=letter.pk) is False
    letter.refresh_from_db()
    assert (letter.status, letter.error) == (FilingStatus.FAILED, "Stopped after 5 attempts to prepare this letter.")


def test_the_sweep_files_a_letter_whose_worker_died(complaint, caseworker, django_capture_on_commit_callbacks):
    letter = services.letter_send(
        complaint=complaint,
        by=caseworker,
        kind=LetterKind.ACKNOWLEDGEMENT,
        party=Party.COMPLAINANT,
        subject="Hello",
        body="Text",
        method=Method.EMAIL,
    )  # outside a captured commit: its task is never run, as if the worker died
    Correspondence.objects.filter(pk=letter.pk).update(status=FilingStatus.RENDERING, claimed_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        too_early = services.letters_sweep_stuck()
    with (
        time_machine.travel(TODAY + FILE_STUCK_AFTER + datetime.timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        swept = services.letters_sweep_stuck()

    letter.refresh_from_db()
    assert (too_early, swept) == ([], [letter.pk])
    assert letter.status == FilingStatus.FILED
    assert len(mail.outbox) == 1


def test_marking_sent_by_post_cancels_an_email_not_sent_yet(
    complaint, caseworker, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(LETTER_EMAILS, "enqueue", lambda ids: None)  # the email waits in the queue
    letter = send(django_capture_on_commit_callbacks, complaint, caseworker)

    services.letter_mark_posted(letter=letter, by=caseworker, posted_on=datetime.date(2026, 3, 23))
    sent = LETTER_EMAILS.send(letter.emails.get().pk)

    row = letter.emails.get()
    assert (sent, row.status, row.last_error) == (
        False,
        OutboxStatus.CANCELLED,
        "Not sent: the letter was sent by post.",
    )
    assert mail.outbox == []
    with pytest.raises(ValidationError):
        services.letter_mark_posted(letter=letter, by=caseworker, posted_on=datetime.date(2026, 3, 23))


def test_the_councils_response_answers_the_enquiry(complaint, caseworker, django_capture_on_commit_callbacks):
    factories.ContactFactory(council=complaint.council, role=ContactRole.LINK_OFFICER)
    enquiry = send(django_capture_on_commit_callbacks, complaint, caseworker, kind=LetterKind.ENQUIRY)
    awaiting_before = list(Correspondence.objects.enquiries_awaiting_response())

    response = services.letter_received_record(
        complaint=complaint,
        by=caseworker,
        party=Party.COUNCIL,
        received_on=datetime.date(2026, 3, 23),
        subject="The council's response",
        method=Method.EMAIL,
        file=("response.pdf", files.PDF),
        replies_to=enquiry,
    )

    assert awaiting_before == [enquiry]
    assert list(Correspondence.objects.enquiries_awaiting_response()) == []
    assert (response.direction, response.status, response.document.file_name) == (
        Direction.INCOMING,
        FilingStatus.FILED,
        "response.pdf",
    )


def test_a_reply_must_answer_a_letter_we_sent_to_the_same_party_on_the_case(
    complaint, caseworker, django_capture_on_commit_callbacks
):
    acknowledgement = send(django_capture_on_commit_callbacks, complaint, caseworker)

    with pytest.raises(ValidationError) as refused:
        services.letter_received_record(
            complaint=complaint,
            by=caseworker,
            party=Party.COUNCIL,
            received_on=datetime.date(2026, 3, 23),
            subject="Reply",
            method=Method.POST,
            file=("reply.pdf", files.PDF),
            replies_to=acknowledgement,
        )

    assert list(refused.value.message_dict) == ["replies_to"]
    assert Correspondence.objects.filter(direction=Direction.INCOMING).count() == 0


def test_a_received_letter_with_a_refused_file_records_nothing(complaint, caseworker):
    with pytest.raises(ValidationError) as refused:
        services.letter_received_record(
            complaint=complaint,
            by=caseworker,
            party=Party.COMPLAINANT,
            received_on=datetime.date(2026, 3, 23),
            subject="Evidence",
            method=Method.POST,
            file=("evidence.pdf", b"MZ\x90\x00 not a pdf"),
        )

    assert "evidence.pdf" in refused.value.messages[0]
    assert (Correspondence.objects.count(), Document.objects.count()) == (0, 0)


def test_what_a_sent_letter_said_cannot_be_changed_or_deleted(
    complaint, caseworker, django_capture_on_commit_callbacks
):
    letter = send(django_capture_on_commit_callbacks, complaint, caseworker)

    with pytest.raises(IntegrityError), transaction.atomic():
        Correspondence.objects.filter(pk=letter.pk).update(body="Something else")
    with pytest.raises(IntegrityError), transaction.atomic():
        Correspondence.objects.filter(pk=letter.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Correspondence.objects.filter(pk=letter.pk).update(status=FilingStatus.PENDING, document=None)


def test_only_staff_send_letters(complaint, council_user):
    with pytest.raises(ValidationError):
        services.letter_send(
            complaint=complaint,
            by=council_user,
            kind=LetterKind.ACKNOWLEDGEMENT,
            party=Party.COMPLAINANT,
            subject="Hello",
            body="Text",
            method=Method.EMAIL,
        )
