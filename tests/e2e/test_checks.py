"""The page checks fail when they should: a CSP violation, an axe violation, an HTML_CodeSniffer
error (pa11y), a page that scrolls sideways at 320 pixels, an invisible focus. Pages are served by Playwright itself (no app)."""

import re

import pytest

from tests.e2e import browser
from tests.e2e.browser import DESKTOP, Journey, focus_is_visible, known_exception

pytestmark = pytest.mark.e2e

ORIGIN = "http://checks.invalid"
CSP = "default-src 'self'; script-src 'self'; style-src 'self'"
PAGE = '<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>'
PAGES = {
    "/fine": PAGE.format(title="Fine", body="<p>Nothing wrong here.</p>"),
    "/inline-style": PAGE.format(title="Inline style", body='<p style="color: red">Styled inline.</p>'),
    "/no-alt": PAGE.format(title="No alt", body='<img src="/pixel.png">'),
    "/wide": PAGE.format(title="Wide", body=f"<p>{'x' * 400}</p>"),
    # axe-core has no rule for a form that cannot be submitted; HTML_CodeSniffer has (H32.2).
    "/no-submit": PAGE.format(
        title="No submit", body='<form action="/fine"><label for="a">Name</label><input id="a" name="a"></form>'
    ),
}


@pytest.fixture
def journey(browser):
    context = browser.new_context(viewport=DESKTOP)

    def serve(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/pixel.png":
            route.fulfill(status=404)
        else:
            route.fulfill(body=PAGES[path], content_type="text/html", headers={"Content-Security-Policy": CSP})

    context.route(f"{ORIGIN}/**", serve)
    yield Journey(name="checks", context=context, base_url=ORIGIN)
    context.close()


def test_a_page_without_problems_passes(journey):
    journey.goto("/fine")

    journey.finish()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/inline-style", "Content-Security-Policy violation"),
        ("/no-alt", "image-alt (critical)"),
        ("/wide", "scrolls sideways at 320 pixels wide"),
        ("/no-submit", "pa11y (HTML_CodeSniffer) found 1 WCAG2AA error(s)"),
    ],
)
def test_each_kind_of_problem_fails_the_check(journey, path, message, monkeypatch):
    monkeypatch.setattr(browser, "KEEP_GOING", False)

    with pytest.raises(AssertionError, match=re.escape(message)):
        journey.goto(path)


def test_a_page_visited_but_not_checked_fails_the_journey(journey):
    journey.goto("/fine")
    journey.page.goto(journey.url("/wide"))

    with pytest.raises(AssertionError, match="pages visited but never checked"):
        journey.finish()


def test_transparent_outline_is_not_a_visible_focus():
    link = {"outlineStyle": "solid", "outlineWidth": 3, "outlineColor": "rgba(0, 0, 0, 0)", "boxShadow": "none"}

    assert not focus_is_visible({**link, "background": "rgba(0, 0, 0, 0)"})
    assert focus_is_visible({**link, "background": "rgb(255, 221, 0)", "boxShadow": "rgb(11, 12, 12) 0px 4px 0px 0px"})


def test_only_aria_expanded_on_conditional_reveal_inputs_is_excused():
    radio = '<input class="govuk-radios__input" id="o" name="o" type="radio" aria-controls="c" aria-expanded="false">'
    expanded = 'Fix all of the following:\n  ARIA attribute is not allowed: aria-expanded="false"'
    also_pressed = expanded + '\n  ARIA attribute is not allowed: aria-pressed="true"'

    assert known_exception("aria-allowed-attr", {"html": radio, "summary": expanded})
    assert not known_exception("aria-allowed-attr", {"html": radio, "summary": also_pressed})
    assert not known_exception(
        "aria-allowed-attr", {"html": '<input type="radio" aria-expanded="false">', "summary": expanded}
    )
    assert not known_exception("aria-valid-attr-value", {"html": radio, "summary": expanded})


def test_only_username_autocomplete_on_an_email_field_is_accepted_from_html_codesniffer():
    h98 = "WCAG2AA.Principle1.Guideline1_3.1_3_5.H98"
    email = '<input type="email" name="username" autocomplete="username" spellcheck="false" id="id_username">'

    assert browser.pa11y_accepted({"code": h98, "context": email})
    assert not browser.pa11y_accepted({"code": h98, "context": '<input type="number" autocomplete="username">'})
    assert not browser.pa11y_accepted({"code": "WCAG2AA.Principle1.Guideline1_1.1_1_1.H37", "context": email})
