"""Journey 1: a caseworker signs in with their second factor, creates a case, records an upheld
decision with two recommendations, records the first one's compliance from the remedy-monitoring
queue (the case stays open for the second, due a year later), then the second's from the case page,
which closes the case, and finds the case and its history."""

import datetime

import pytest
from django.utils import timezone

from complaints.models import Complaint, ComplianceResult, Outcome, Status
from tests import factories
from tests.e2e.browser import heading
from tests.e2e.conftest import sign_in, with_authenticator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fill_date(page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_caseworker_records_a_case_from_complaint_to_compliance(open_journey):
    council = factories.CouncilFactory(name="Blaby", formal_name="Blaby District Council", gss_code="E07000129")
    leicester = factories.CouncilFactory(
        name="Leicester", formal_name="Leicester City Council", gss_code="E06000016", authority_type="unitary"
    )
    caseworker = factories.CaseworkerFactory(email="sam.caseworker@example.org", first_name="Sam", last_name="Okafor")
    device = with_authenticator(caseworker)
    today = timezone.localdate()
    received, decided, due, complied = (today - datetime.timedelta(days=n) for n in (90, 30, 14, 2))
    later = today + datetime.timedelta(days=365)
    ui = open_journey("caseworker")
    page = ui.page

    sign_in(ui, caseworker.email, device=device, screenshot="home")
    assert heading(page) == "Ombudsman casework"

    page.get_by_role("link", name="Casework", exact=True).click()  # the top menu's group: its first page, Cases
    ui.check()
    page.get_by_role("link", name="Create a case").click()
    ui.check()
    ui.screenshot("create-case-320px", narrow=True)
    page.get_by_label("Council", exact=True).select_option(label="Blaby District Council")
    fill_date(page, "Date received", received)
    page.get_by_label("Category", exact=True).select_option(label="Housing")
    page.get_by_label("Sub-category (optional)").select_option(label="Homelessness")
    page.get_by_label("Summary of the complaint (optional)").fill("The council took four months to decide.")
    page.get_by_label("Complainant's full name (optional)").fill("Alex Example")
    page.get_by_role("button", name="Create case").click()
    ui.check()
    complaint = Complaint.objects.get()
    assert ui.path == f"/cases/{complaint.pk}/"
    assert f"Case {complaint.reference} has been created." in page.locator(".govuk-notification-banner").inner_text()
    assert (complaint.council, complaint.assigned_to, complaint.received_on) == (council, caseworker, received)

    page.get_by_role("link", name="Record the decision").first.click()  # the button above the case
    ui.check()
    fill_date(page, "Decision date", decided)
    page.get_by_role("radio", name="Upheld", exact=True).check()
    kind = page.get_by_role("radio", name="Fault causing injustice: remedies recommended")
    kind.wait_for(state="visible")  # revealed by GOV.UK Frontend's conditional radios
    kind.check()
    page.get_by_role("radio", name="Statement of reasons", exact=True).check()
    page.get_by_role("button", name="Record decision").click()
    ui.check()
    assert "has been recorded: Upheld" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name="Add a recommendation").first.click()  # the button above the case
    ui.check(screenshot="recommendation-form")
    page.get_by_role("radio", name="Financial redress", exact=True).check()
    page.get_by_role("radio", name="Personal remedy", exact=True).check()
    page.get_by_label("What the council must do").fill("Pay £250 for the distress caused by the delay.")
    page.get_by_label("Amount in pounds (financial redress only)").fill("£250")
    fill_date(page, "Due date", due)
    page.get_by_role("button", name="Add recommendation").click()
    ui.check()
    assert "Recommendation added: financial redress" in page.locator(".govuk-notification-banner").inner_text()

    # A service improvement due a year later: the case stays in monitoring until it is done too.
    page.get_by_role("link", name="Add a recommendation").first.click()
    ui.check()
    page.get_by_role("radio", name="Procedure or policy change", exact=True).check()
    page.get_by_role("radio", name="Service improvement", exact=True).check()
    page.get_by_label("What the council must do").fill("Review how it decides homelessness applications.")
    fill_date(page, "Due date", later)
    page.get_by_role("button", name="Add recommendation").click()
    ui.check()

    # Later, when the payment has fallen due: from the remedy-monitoring queue, where a colleague's
    # long-forgotten case is overdue too (its tag's long text stays inside its column).
    forgotten = factories.RecommendationFactory(
        decision__complaint__council=leicester,
        decision__complaint__received_on=today - datetime.timedelta(days=800),
        decision__complaint__status=Status.REMEDY_MONITORING,
        decision__decided_on=today - datetime.timedelta(days=700),
        due_on=today - datetime.timedelta(days=600),
    )
    page.get_by_role("link", name="Remedy monitoring").click()
    ui.check(screenshot="remedy-queue")
    ui.screenshot("remedy-queue-320px", narrow=True)
    assert "2 overdue, 0 due in the next 14 days" in heading(page)
    rows = page.locator("table tbody tr")
    assert rows.count() == 2  # the procedure review is not due for a year
    assert "Overdue by 14 days" in rows.nth(0).inner_text()  # Blaby, then Leicester
    assert "Overdue by 600 days" in rows.nth(1).inner_text()
    # The text wraps inside the tag (a GOV.UK tag is at most 160px wide): none of it runs out.
    assert rows.nth(1).locator(".govuk-tag").evaluate("tag => tag.scrollWidth <= tag.clientWidth")
    assert forgotten.decision.complaint.reference in rows.nth(1).inner_text()
    rows.nth(0).get_by_role("link", name="Record outcome").click()
    ui.check(screenshot="recommendation-compliance")
    page.get_by_role("radio", name="Complied on time", exact=True).check()
    fill_date(page, "Date recorded", complied)
    page.get_by_label("Evidence (optional)").fill("Bank transfer confirmed by the council.")
    page.get_by_role("button", name="Record outcome").click()
    ui.check()
    assert ui.path == "/cases/remedies/"
    assert "Compliance recorded for the financial redress recommendation" in (
        page.locator(".govuk-notification-banner").inner_text()
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.REMEDY_MONITORING

    # A year on, the procedure review is done: its outcome, from the case page, closes the case.
    page.goto(ui.url(f"/cases/{complaint.pk}/"))
    ui.check()
    page.get_by_role("link", name="Record outcome").click()
    ui.check()
    page.get_by_role("radio", name="Complied late", exact=True).check()
    fill_date(page, "Date recorded", today)
    page.get_by_role("button", name="Record outcome").click()
    ui.check()
    complaint.refresh_from_db()
    decision = complaint.decisions.get(is_current=True)
    assert list(decision.recommendations.order_by("due_on").values_list("amount", "compliance_outcome")) == [
        (250, ComplianceResult.COMPLIED_ON_TIME),
        (None, ComplianceResult.COMPLIED_LATE),
    ]
    assert decision.outcome == Outcome.UPHELD
    assert (decision.compliance.outcome, complaint.status) == (ComplianceResult.COMPLIED_LATE, Status.CLOSED)

    page.get_by_role("link", name="My cases").click()
    ui.check(screenshot="my-cases")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert rows.first.get_by_role("link", name=complaint.reference).is_visible()
    rows.first.get_by_role("link", name=complaint.reference).click()
    ui.check(screenshot="case")
    history = [text.strip() for text in page.locator(".app-timeline h3").all_inner_texts()]
    assert history == [
        "Compliance outcome recorded",
        "Compliance recorded (financial redress)",
        "Recommendation added",
        "Recommendation added",
        "Decision recorded",
        f"Case {complaint.reference} created",
    ]
    assert "by Sam Okafor" in page.locator(".app-timeline").inner_text()
    ui.finish()
