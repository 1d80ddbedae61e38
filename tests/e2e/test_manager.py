"""Journey 2: managers. One imports a year of decisions from a CSV file (preview, then confirm),
creates and runs the review year and watches the progress bar reach 100% without reloading the
page, while a real Celery worker renders the letters; they cannot approve letters of a review
they ran. A second manager approves the letters (one from its page, the rest together) and
sends them; the worker emails them (files, by Django's file email backend)."""

import email

import pytest

from complaints.models import Complaint, Decision
from reviews.models import AnnualLetter, LetterStatus, OutboxMessage, OutboxStatus, ReviewRun
from tests import factories
from tests.e2e.browser import heading
from tests.e2e.conftest import sign_in, wait_for, with_authenticator
from tests.e2e.data import councils_with_contacts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = (
    "reference,council_gss_code,received_on,category,decided_on,outcome,upheld_kind,"
    "compliance_outcome,compliance_recorded_on,recommendations"
)
ROWS = [
    "23 000 101,E07000129,2023-05-02,Housing,2023-09-04,upheld,injustice_remedy_recommended,complied_on_time,2023-11-20,apology:Apologise to the complainant:2023-10-04",
    "23 000 102,E07000129,2023-05-09,Housing,2023-10-02,not_upheld,,,,",
    "23 000 103,E07000130,2023-06-01,Highways and transport,2023-10-16,upheld,satisfactory_remedy_by_council,,,",
    "23 000 104,E07000130,2023-06-12,Highways and transport,2023-11-01,not_upheld,,,,",
    "23 000 105,E06000016,2023-07-03,Adult care services,2023-12-04,upheld,no_significant_injustice,,,",
    "23 000 106,E06000016,2023-07-10,Adult care services,2024-01-08,advice_given,,,,",
]

PROGRESS = """() => {
  const bar = document.getElementById("run-progress-bar");
  return [bar.value, bar.max];
}"""
# The bar has reached its maximum and the live region says the run has finished.
RUN_FINISHED = """() => {
  const bar = document.getElementById("run-progress-bar");
  const text = document.querySelector("[data-progress-text]").textContent;
  return bar.max === 3 && bar.value === bar.max && text.includes("Finished.");
}"""


def test_managers_import_run_approve_and_send_a_review_year(open_journey, idle_celery_worker, tmp_path):
    councils = councils_with_contacts(
        ("Blaby", "Blaby District Council", "E07000129", "district"),
        ("Charnwood", "Charnwood Borough Council", "E07000130", "district"),
        ("Leicester", "Leicester City Council", "E06000016", "unitary"),
    )
    for council in councils:
        factories.PopulationFactory(council=council, year=2022, population=100_000)
    runner = factories.ManagerFactory(email="rita.runner@example.org", first_name="Rita", last_name="Runner")
    approver = factories.ManagerFactory(email="arlo.approver@example.org", first_name="Arlo", last_name="Approver")
    runner_device, approver_device = with_authenticator(runner), with_authenticator(approver)
    decisions_csv = tmp_path / "decisions-2023-24.csv"
    decisions_csv.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")

    # Manager A: import the decisions, create the year and run it.
    ui = open_journey("manager-runner")
    page = ui.page
    sign_in(ui, runner.email, device=runner_device)
    page.get_by_role("link", name="Casework", exact=True).click()
    ui.check()
    page.get_by_role("link", name="Import", exact=True).click()  # in the Casework group's own menu
    ui.check()
    page.get_by_label("Upload a file").set_input_files(decisions_csv)
    page.get_by_role("button", name="Check the file").click()
    ui.check(screenshot="import-preview")
    assert heading(page) == "Check what the file will change"
    assert Complaint.objects.count() == 0
    preview = page.get_by_role("table", name="What importing would do")
    assert preview.get_by_role("row", name="Total").inner_text().split("\t") == ["Total", "6", "0", "0"]
    page.get_by_role("button", name="Import 6 rows").click()
    ui.check()
    assert "Imported decisions-2023-24.csv: 6 new cases" in page.locator(".govuk-notification-banner").inner_text()
    assert Decision.objects.filter(is_current=True).count() == 6

    page.get_by_role("link", name="Annual review", exact=True).click()
    ui.check()
    page.get_by_role("link", name="Create a review year").click()
    ui.check()
    page.get_by_label("Review year").fill("2023-24")
    page.get_by_role("button", name="Create").click()
    ui.check()
    assert heading(page).startswith("Review year 2023-24")
    page.get_by_role("link", name="Run review 2023-24").click()
    ui.check()
    page.get_by_role("button", name="Run review 2023-24").click()
    page.wait_for_url("**/review/2023-24/runs/*/")
    navigations = len(ui.navigated)
    ui.check()
    # The letters wait in the broker until the worker starts, so the bar is watched from 0.
    assert page.evaluate(PROGRESS) == [0, 3]
    worker = idle_celery_worker
    worker.start()
    page.wait_for_function(RUN_FINISHED, timeout=120_000, polling=250)
    ui.screenshot("run-progress")
    assert ui.navigated[navigations:] == [], "the progress page reloaded or navigated"
    assert heading(page) == "Letters rendered"  # said in place, with the link to the letters
    assert page.get_by_role("link", name="See the letters of 2023-24").is_visible()
    assert ReviewRun.objects.get().started_by == runner
    assert sorted(AnnualLetter.objects.values_list("status", flat=True)) == [LetterStatus.READY] * 3

    page.get_by_role("link", name="Back to review year 2023-24").click()
    ui.check()
    page.get_by_role("link", name="Approve and send the letters").click()
    ui.check()
    page.get_by_role("link", name="Blaby District Council").click()
    ui.check(screenshot="letter-four-eyes")
    main = page.locator("main").inner_text()
    assert "You cannot approve this letter" in main
    assert "You ran the review that made this letter." in main
    assert page.get_by_role("button", name="Approve this letter").count() == 0
    page.get_by_role("link", name="Show the letter on its own page").click()
    ui.check(screenshot="letter-preview")
    assert heading(page) == "Letter to Blaby District Council"
    ui.finish()

    # Manager B: approve and send.
    ui = open_journey("manager-second")
    page = ui.page
    sign_in(ui, approver.email, device=approver_device)
    page.get_by_role("link", name="Annual review", exact=True).click()
    ui.check()
    page.get_by_role("link", name="2023-24").click()
    ui.check()
    page.get_by_role("link", name="Approve and send the letters").click()
    ui.check()
    page.get_by_role("link", name="Blaby District Council").click()
    ui.check()
    assert "Dear Dr Chief of Blaby" in page.locator("article.app-letter-preview").inner_text()
    page.get_by_role("button", name="Approve this letter").click()
    ui.check()
    blaby = AnnualLetter.objects.get(council__gss_code="E07000129")
    # The letter date has passed, so approving emails the letter at once (the worker may be done already).
    assert blaby.approved_by == approver
    assert blaby.status in (LetterStatus.APPROVED, LetterStatus.SENT)

    page.get_by_role("link", name="Letters", exact=True).click()
    ui.check()
    for name in ("Charnwood Borough Council", "Leicester City Council"):
        page.get_by_label(f"Select the letter to {name} for approval").check()
    page.get_by_role("button", name="Approve the selected letters").click()
    ui.check()
    page.get_by_role("button", name="Approve 2 letters").click()
    ui.check(screenshot="letters-approved")
    assert "emailed" in page.locator("main").inner_text()
    wait_for(
        lambda: set(AnnualLetter.objects.values_list("status", flat=True)) == {LetterStatus.SENT},
        timeout=60,
        what="the worker to send the letters",
        worker=worker,
    )
    page.reload()
    ui.check(screenshot="letters-sent")

    outbox = list(OutboxMessage.objects.all())
    assert {message.status for message in outbox} == {OutboxStatus.SENT}
    sent = [email.message_from_bytes(path.read_bytes()) for path in sorted(worker.mail.glob("*.eml"))]
    assert sorted(message["To"] for message in sent) == sorted(message.recipient for message in outbox)
    for message in sent:
        attachments = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
        assert len(attachments) == 1
        assert attachments[0].get_payload(decode=True).startswith(b"%PDF")
    ui.finish()
