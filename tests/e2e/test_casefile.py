"""Journey: a caseworker works a case in the product from first contact to the final decision.
They create the case, upload the complaint form, send the acknowledgement, send the council an
enquiry, record the council's response as a letter received (with its document) and a note on it,
then send the draft decision (refused by the complainant's mail server, then sent again from the
case) and the final decision (also recorded as posted). Every email goes through the outbox: the
complainant's three are in the mail outbox once each, and stay once each when the outbox's send
task and its sweep run again. Every page is checked (axe-core, pa11y, CSP, reflow at 320 px).

Tasks run in the live server's process (CELERY_EAGER, as in the other in-process journeys): a
letter is filed as a PDF and emailed when the page that sent it commits."""

import datetime
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from casefile.correspondence.models import Correspondence, CorrespondenceEmail, Direction, FilingStatus, LetterKind
from casefile.models import Document, Note
from casefile.tasks import letter_email_send_task, sweep_correspondence_task
from complaints.models import Complaint
from councils.models import ContactRole
from ombudsman.outbox.rows import OutboxStatus
from tests import factories
from tests.casefile import files
from tests.e2e.browser import heading
from tests.e2e.conftest import sign_in, with_authenticator
from tests.e2e.test_caseworker import fill_date

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COMPLAINANT = "alex.example@example.org"
COUNCIL_CONTACT = "complaints@blaby.example.gov.uk"


def banner(page) -> str:
    return page.locator(".govuk-notification-banner").inner_text()


def write_letter(ui, letter: str, to: str) -> None:
    """From the case page: choose the letter and whom it is to, preview it, send it by email."""
    page = ui.page
    page.get_by_role("link", name="Write a letter").click()
    ui.check()
    page.get_by_role("radio", name=re.compile(f"^{re.escape(letter)}")).check()
    page.get_by_role("radio", name=re.compile(f"^{re.escape(to)}")).check()
    page.get_by_role("button", name="Continue").click()
    ui.check()
    assert heading(page) == letter
    page.get_by_role("button", name="Preview the letter").click()
    ui.check()
    assert page.get_by_role("article", name="The letter as it will be printed").is_visible()
    page.get_by_role("button", name="Send by email").click()
    ui.check()
    assert f"{letter}: the letter is being filed on the case and emailed to" in banner(page)


MAILBOX_FULL = "5.2.2 Mailbox full, try again later"


def mailbox_full(self, messages):
    raise smtplib.SMTPRecipientsRefused({COMPLAINANT: (552, MAILBOX_FULL.encode())})


def subjects(outbox) -> list[str]:
    return sorted(message.subject for message in outbox)


def test_caseworker_takes_a_case_from_first_contact_to_final_decision(open_journey, monkeypatch):
    council = factories.CouncilFactory(name="Blaby", formal_name="Blaby District Council", gss_code="E07000129")
    factories.ContactFactory(council=council, role=ContactRole.LINK_OFFICER, email=COUNCIL_CONTACT)
    caseworker = factories.CaseworkerFactory(email="sam.caseworker@example.org", first_name="Sam", last_name="Okafor")
    device = with_authenticator(caseworker)
    received = timezone.localdate() - datetime.timedelta(days=3)
    ui = open_journey("casefile")
    page = ui.page

    sign_in(ui, caseworker.email, device=device)
    ui.goto("/cases/new/")
    page.get_by_label("Council", exact=True).select_option(label="Blaby District Council")
    fill_date(page, "Date received", received)
    page.get_by_label("Category", exact=True).select_option(label="Housing")
    page.get_by_label("Summary of the complaint (optional)").fill("The council took four months to decide.")
    page.get_by_label("Complainant's full name (optional)").fill("Alex Example")
    page.get_by_label("Complainant's email address (optional)").fill(COMPLAINANT)
    page.get_by_label("Complainant's postal address (optional)").fill("1 High Street\nBlaby\nLE8 4AA")
    page.get_by_role("button", name="Create case").click()
    ui.check()
    complaint = Complaint.objects.get()
    assert ui.path == f"/cases/{complaint.pk}/"

    # The complaint form, as the complainant sent it.
    page.get_by_role("link", name="Add documents").click()
    ui.check()
    page.get_by_label("Upload files").set_input_files(
        {"name": "complaint form.pdf", "mimeType": "application/pdf", "buffer": files.PDF}
    )
    page.get_by_label("From the complainant").check()
    page.get_by_role("button", name="Add documents").click()
    ui.check()
    assert "1 document added: complaint form.pdf" in banner(page)

    write_letter(ui, "Acknowledgement of the complaint", "The complainant")
    write_letter(ui, "Enquiry to the council", "The council")
    assert subjects(mail.outbox) == [
        f"Complaint {complaint.reference}: enquiry (our reference {complaint.reference})",
        f"Your complaint about Blaby District Council (our reference {complaint.reference})",
    ]

    # The council's response, answering the enquiry, and a note of what it says.
    page.get_by_role("link", name="Record a letter received").click()
    ui.check()
    page.get_by_role("radio", name="The council", exact=True).check()
    fill_date(page, "Date received", timezone.localdate())
    page.get_by_label("What is it?").fill("The council's response to our enquiry")
    page.get_by_role("radio", name="By email", exact=True).check()
    page.get_by_label("The letter", exact=True).set_input_files(
        {"name": "response.pdf", "mimeType": "application/pdf", "buffer": files.PDF}
    )
    page.get_by_role("radio", name=re.compile("^Enquiry to the council to the council of")).check()
    page.get_by_role("button", name="Record the letter").click()
    ui.check()
    assert "Letter from the council recorded, answering our letter of" in banner(page)
    page.get_by_role("link", name="Add a note").click()
    ui.check()
    page.get_by_role("radio", name="File note", exact=True).check()
    page.get_by_label("Note", exact=True).fill("The council accepts it took too long and offers £150.")
    page.get_by_role("button", name="Add note").click()
    ui.check()
    assert "The note has been added." in banner(page)

    # The complainant's mail server refuses the draft decision for now; the caseworker sends it again.
    with monkeypatch.context() as refusing:
        refusing.setattr(locmem.EmailBackend, "send_messages", mailbox_full)
        write_letter(ui, "Draft decision for comments", "The complainant")
    draft = CorrespondenceEmail.objects.get(correspondence__kind=LetterKind.DRAFT_DECISION)
    assert (draft.status, draft.last_error) == (OutboxStatus.FAILED, f"552 {MAILBOX_FULL}")
    page.get_by_role("link", name=f"Send again the email to {COMPLAINANT}").click()
    ui.check()
    assert MAILBOX_FULL in page.locator("main").inner_text()
    page.get_by_role("button", name="Send the email again").click()
    ui.check()
    assert f"The email to {COMPLAINANT} has been queued again." in banner(page)

    write_letter(ui, "Final decision (statement of reasons)", "The complainant")
    # Sent by post as well (the complainant asked for a paper copy).
    page.get_by_role("link", name=re.compile("^Record that it was also posted.*our final decision")).click()
    ui.check()
    fill_date(page, "Date posted", timezone.localdate())
    page.get_by_role("button", name="Record as posted").click()
    ui.check(screenshot="case")
    assert "Final decision (statement of reasons): recorded as sent by post on" in banner(page)

    to_complainant = [message for message in mail.outbox if message.to == [COMPLAINANT]]
    expected = [
        f"Your complaint about Blaby District Council (our reference {complaint.reference})",
        f"Your complaint about Blaby District Council: our draft decision (our reference {complaint.reference})",
        f"Your complaint about Blaby District Council: our final decision (our reference {complaint.reference})",
    ]
    assert subjects(to_complainant) == expected
    assert all(message.attachments[0][1].startswith(b"%PDF") for message in to_complainant)
    assert len(mail.outbox) == 4  # and the enquiry, to the council

    # The outbox's send task delivered again (a duplicate, a redelivery) and its sweep: nothing is sent twice.
    for row in CorrespondenceEmail.objects.all():
        letter_email_send_task.delay(row.pk)
    sweep_correspondence_task.delay()
    assert subjects(message for message in mail.outbox if message.to == [COMPLAINANT]) == expected
    assert len(mail.outbox) == 4
    assert set(CorrespondenceEmail.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}

    sent = Correspondence.objects.filter(direction=Direction.OUTGOING)
    assert sorted(sent.values_list("kind", flat=True)) == sorted(
        [LetterKind.ACKNOWLEDGEMENT, LetterKind.ENQUIRY, LetterKind.DRAFT_DECISION, LetterKind.FINAL_DECISION]
    )
    assert set(sent.values_list("status", flat=True)) == {FilingStatus.FILED}
    assert not Correspondence.objects.enquiries_awaiting_response().exists()
    assert Document.objects.filter(complaint=complaint).count() == 6  # the form, the response, four letters
    assert Note.objects.get().text == "The council accepts it took too long and offers £150."

    assert ui.path == f"/cases/{complaint.pk}/"
    correspondence = page.locator("#correspondence ~ .app-timeline").first.inner_text()
    assert correspondence.count("Sent to the complainant") == 3
    assert f"Email to {COMPLAINANT}: Sent" in correspondence
    assert "Sent by post on" in correspondence
    assert "Answered" in correspondence
    history = page.locator("#history + ol").inner_text()
    for event in (
        "Letter sent: final decision (statement of reasons)",
        f"Letter emailed to {COMPLAINANT}",
        "Letter received from the council",
        f"Email to {COMPLAINANT} queued again",
        "Letter recorded as sent by post",
        "Note added",
        "Document added",
    ):
        assert event in history
    ui.finish()
