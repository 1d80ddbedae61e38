"""Journey: a manager approves and sends the letters another manager's run made. They sign in
with their second factor, open the year's letters, find the one they may not approve (they wrote
its paragraph), approve the others in bulk after the confirmation page, return one for changes,
send the approved letters, and a real Celery worker emails them (files, as in the demo)."""

import datetime
import email
import email.policy

import pytest

from reviews.letters import render
from reviews.models import AnnualLetter, LetterStatus, OutboxMessage, OutboxStatus
from tests import factories
from tests.e2e.browser import heading
from tests.e2e.conftest import sign_in, wait_for, with_authenticator
from tests.e2e.data import councils_with_contacts, decisions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_manager_approves_in_bulk_returns_one_and_sends_the_letters(open_journey, celery_worker):
    blaby, charnwood, leicester = councils_with_contacts(
        ("Blaby", "Blaby District Council", "E07000129", "district"),
        ("Charnwood", "Charnwood Borough Council", "E07000130", "district"),
        ("Leicester", "Leicester City Council", "E06000016", "unitary"),
    )
    decisions(blaby, datetime.date(2024, 6, 3), upheld=1, not_upheld=1)
    decisions(charnwood, datetime.date(2024, 7, 1), upheld=2, not_upheld=2)
    decisions(leicester, datetime.date(2024, 8, 1), not_upheld=3)
    manager = factories.ManagerFactory(email="morgan.manager@example.org", first_name="Morgan", last_name="Reed")
    review_year = factories.ReviewYearFactory(label="2024-25")
    factories.CouncilParagraphFactory(review_year=review_year, council=leicester, updated_by=manager)
    render.review_run_start(review_year=review_year, by=factories.ManagerFactory())
    wait_for(
        lambda: set(AnnualLetter.objects.values_list("status", flat=True)) == {LetterStatus.READY},
        timeout=120,
        what="the worker to render the letters",
        worker=celery_worker,
    )
    device = with_authenticator(manager)
    ui = open_journey("manager-approver")
    page = ui.page

    sign_in(ui, manager.email, device=device)
    ui.goto("/review/2024-25/")
    page.get_by_role("link", name="Approve and send the letters").click()
    ui.check(screenshot="letters")
    assert heading(page).startswith("Letters")
    for name in ("Blaby District Council", "Charnwood Borough Council", "Leicester City Council"):
        page.get_by_label(f"Select the letter to {name} for approval").check()
    page.get_by_role("button", name="Approve the selected letters").click()
    ui.check(screenshot="bulk-approve")
    assert heading(page) == "Approve 2 letters"
    refused = page.locator("main .govuk-summary-list").inner_text()
    assert "Leicester City Council" in refused and "You wrote this letter's council paragraph." in refused
    page.get_by_role("button", name="Approve 2 letters").click()
    ui.check()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "2 letters approved." in banner
    assert "emailed" in banner  # the letter date has passed: approving sends them at once (issue 14)

    page.get_by_role("link", name="Leicester City Council").click()
    ui.check(screenshot="letter-not-approvable")
    assert "You cannot approve this letter" in page.locator("main").inner_text()
    page.get_by_role("link", name="Return it for changes").click()
    ui.check()
    page.get_by_role("button", name="Return for changes").click()
    ui.check(screenshot="return-error")
    assert "Say what needs to change" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("What needs to change?").fill("Name the service area in the paragraph.")
    page.get_by_role("button", name="Return for changes").click()
    ui.check()
    assert "Returned for changes: Name the service area in the paragraph." in page.locator("main").inner_text()

    wait_for(
        lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 2,
        timeout=60,
        what="the worker to send the emails",
        worker=celery_worker,
    )
    blaby_letter = AnnualLetter.objects.get(council=blaby)
    ui.goto(f"/review/2024-25/letters/{blaby_letter.pk}/", screenshot="sent-letter")
    emails = page.get_by_role("table", name="Emails of this version of the letter").inner_text()
    assert "Chief executive (to)" in emails and "Sent" in emails

    files = sorted(celery_worker.mail.glob("*.eml"))
    messages = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files]
    subjects = sorted(message["Subject"] for message in messages)
    assert subjects == [
        "Annual Review letter 2025: Blaby District Council",
        "Annual Review letter 2025: Charnwood Borough Council",
    ]
    attachments = [part for message in messages for part in message.iter_attachments()]
    assert [part.get_content_type() for part in attachments] == ["application/pdf", "application/pdf"]
    assert {LetterStatus(letter.status) for letter in AnnualLetter.objects.exclude(council=leicester)} == {
        LetterStatus.SENT
    }
    ui.finish()
