"""The caseworker's sign-in and first case with the keyboard only: Tab to move, Enter to follow
links and submit, Space to press buttons, type-ahead and arrows in selects. Every element that
takes focus on the way must show GOV.UK's focus state, and after an invalid submission the
error summary must take focus and lead to the field it names."""

import datetime

import pytest
from django.utils import timezone

from complaints.models import Complaint
from tests import factories
from tests.e2e.browser import FOCUS_STATE, Journey, focus_is_visible, heading
from tests.e2e.conftest import current_code, with_authenticator
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MAX_TABS = 80
IS_FOCUSED = "el => el === document.activeElement"


def focused(ui: Journey) -> dict:
    state = ui.page.evaluate(FOCUS_STATE)
    assert state is not None, f"nothing has focus on {ui.page.url}"
    return state


def tab_to(ui: Journey, locator, *, backwards: bool = False) -> None:
    """Press Tab until `locator` has focus; every stop on the way must show its focus. Past the
    last element focus leaves the page (the browser's own controls), then comes back to the top."""
    for _ in range(MAX_TABS):
        ui.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        state = ui.page.evaluate(FOCUS_STATE)
        if state is None:
            continue  # between the end of the page and its start
        assert focus_is_visible(state), f"focus is not visible on {state} ({ui.page.url})"
        if locator.evaluate(IS_FOCUSED):
            return
    raise AssertionError(f"{locator} never took focus in {MAX_TABS} presses of Tab on {ui.page.url}")


def press_to_navigate(ui: Journey, key: str) -> None:
    """Press Enter on a link or Enter/Space on a submit button, and wait for the next page."""
    with ui.page.expect_navigation():
        ui.page.keyboard.press(key)


def type_date(ui: Journey, legend: str, day: datetime.date) -> None:
    group = ui.page.get_by_role("group", name=legend)
    for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        tab_to(ui, group.get_by_label(part))
        ui.page.keyboard.type(str(value))


def test_caseworker_signs_in_and_creates_a_case_by_keyboard(open_journey):
    factories.CouncilFactory(name="Blaby", formal_name="Blaby District Council", gss_code="E07000129")
    caseworker = factories.CaseworkerFactory(email="kim.keys@example.org", first_name="Kim", last_name="Keys")
    device = with_authenticator(caseworker)
    received = timezone.localdate() - datetime.timedelta(days=10)
    ui = open_journey("keyboard")
    page, keyboard = ui.page, ui.page.keyboard

    ui.goto("/sign-in/")
    email = page.get_by_label("Email address")
    assert not email.evaluate(IS_FOCUSED), "no autofocus: the skip link comes first"
    keyboard.press("Tab")
    assert page.get_by_role("link", name="Skip to main content").evaluate(IS_FOCUSED)
    tab_to(ui, email)
    keyboard.type(caseworker.email)
    tab_to(ui, page.get_by_label("Password"))
    keyboard.type(PASSWORD)
    tab_to(ui, page.get_by_role("button", name="Sign in"))
    press_to_navigate(ui, "Enter")
    ui.check()
    tab_to(ui, page.get_by_label("Code"))
    keyboard.type(current_code(device))
    press_to_navigate(ui, "Enter")
    ui.check()
    assert heading(page) == "Ombudsman casework"

    tab_to(ui, page.get_by_role("link", name="Casework", exact=True))  # the top menu's group: its first page, Cases
    press_to_navigate(ui, "Enter")
    ui.check()
    tab_to(ui, page.get_by_role("link", name="Create a case"))
    press_to_navigate(ui, "Enter")
    ui.check()

    # An empty form: the error summary takes focus, and its first link leads to the field.
    tab_to(ui, page.get_by_role("button", name="Create case"))
    press_to_navigate(ui, "Space")
    summary = page.locator(".govuk-error-summary")
    page.wait_for_function("() => document.activeElement.classList.contains('govuk-error-summary')")
    assert focus_is_visible(focused(ui)), "the focused error summary shows no focus"
    ui.check(screenshot="error-summary")
    assert summary.get_by_role("link").first.inner_text() == "Choose the council the complaint is about"
    tab_to(ui, summary.get_by_role("link").first)
    keyboard.press("Enter")
    council = page.get_by_label("Council", exact=True)
    page.wait_for_function("() => document.activeElement.id === 'id_council'")
    assert focus_is_visible(focused(ui))

    keyboard.press("ArrowDown")
    assert council.evaluate("el => el.selectedOptions[0].text") == "Blaby District Council"
    type_date(ui, "Date received", received)
    category = page.get_by_label("Category", exact=True)
    tab_to(ui, category)
    keyboard.type("Housing")
    assert category.evaluate("el => el.selectedOptions[0].text") == "Housing"
    tab_to(ui, page.get_by_role("button", name="Create case"))
    press_to_navigate(ui, "Space")
    ui.check(screenshot="case")

    complaint = Complaint.objects.get()
    assert (complaint.council.gss_code, complaint.received_on, complaint.category.slug) == (
        "E07000129",
        received,
        "housing",
    )
    assert ui.path == f"/cases/{complaint.pk}/"
    tab_to(ui, page.get_by_role("link", name="My cases"))
    press_to_navigate(ui, "Enter")
    ui.check()
    tab_to(ui, page.get_by_role("link", name=complaint.reference))
    press_to_navigate(ui, "Enter")
    ui.check()
    tab_to(ui, page.get_by_role("button", name="Sign out"))
    press_to_navigate(ui, "Space")
    ui.check()
    assert ui.path.startswith("/sign-in/")
    ui.finish()
