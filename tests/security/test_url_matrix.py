"""The role x URL matrix: every named URL (the admin aside) says what each role gets, for GET and
for POST, and the test asks every URL as every role.

- A URL missing from EXPECTED (or an entry whose URL is gone) fails
  `test_every_url_has_an_entry`: add a line saying what each role gets.
- Object URLs are built with council A's objects (the `council_user` is A's, the
  `other_council_user` B's) and again with council B's objects, where the two council users
  swap places: a council user never reaches the other council's objects, whichever way round.
- A GET changes nothing (an export records itself: `logged`).
- `post=None` marks a page that is not an action: a POST must then be refused (405, or the
  same refusal as the GET). Actions are posted empty: a form answers with its error summary,
  a confirmation does what it confirms. Every request is rolled back, so each role meets the
  same world.
- Every answer carries the Content-Security-Policy and the security headers, and no HTML page
  has inline script, inline style or an event handler attribute (tests/security/access.py).
  Every answer to a signed-in user, and every sign-in redirect, says Cache-Control: no-store.
- Every URL also meets hostile path segments and parameters (HOSTILE_SEGMENTS,
  HOSTILE_PARAMETERS) as anonymous and as the role that reaches it: never a 500, a NUL is a
  400; and anonymous requests for staff URLs get the same sign-in redirect, with no database
  query, whether the object exists or not.
- Every action refuses a POST without its CSRF token (403) and writes nothing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from portal import annexes
from tests.security.access import (
    DENIED,
    FORM_ERRORS,
    GONE,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    ROLES,
    mirrored,
    response_problems,
    row,
    url_names,
)
from tests.security.world import World


@dataclass(frozen=True)
class Entry:
    get: dict
    post: dict | None = None  # None: not an action (POST refused)
    kwargs: Callable[[World, str], dict] | None = None  # (world, "A" or "B") -> URL kwargs
    logged: bool = False  # a GET that records itself in the audit history (exports)


# Rows used by many URLs.
EVERYONE = row(OK, OK, OK, OK, OK, OK)
SIGNED_IN = row(LOGIN, OK, OK, OK, OK, OK)
STAFF = row(LOGIN, OK, OK, DENIED, DENIED, OK)
MANAGERS = row(LOGIN, DENIED, OK, DENIED, DENIED, OK)
STAFF_FORM = row(LOGIN, FORM_ERRORS, FORM_ERRORS, DENIED, DENIED, FORM_ERRORS)
STAFF_ACTION = row(LOGIN, REDIRECT, REDIRECT, DENIED, DENIED, REDIRECT)
MANAGER_FORM = row(LOGIN, DENIED, FORM_ERRORS, DENIED, DENIED, FORM_ERRORS)
MANAGER_ACTION = row(LOGIN, DENIED, REDIRECT, DENIED, DENIED, REDIRECT)
MANAGER_POST_ONLY = row(LOGIN, DENIED, NOT_ALLOWED, DENIED, DENIED, NOT_ALLOWED)
OWN_COUNCIL_FILE = row(LOGIN, DENIED, DENIED, OK, NOT_FOUND, DENIED)
# The case file: hidden (404, as for a URL that does not exist) from everyone but staff.
CASE_FILE = row(NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK)
CASE_FILE_MANAGERS = row(NOT_FOUND, DENIED, OK, NOT_FOUND, NOT_FOUND, OK)
CASE_FILE_FORM = row(NOT_FOUND, FORM_ERRORS, FORM_ERRORS, NOT_FOUND, NOT_FOUND, FORM_ERRORS)
CASE_FILE_ACTION = row(NOT_FOUND, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT)
CASE_FILE_MANAGER_FORM = row(NOT_FOUND, DENIED, FORM_ERRORS, NOT_FOUND, NOT_FOUND, FORM_ERRORS)


def council(world, side):
    return {"gss_code": world.side(side).council.gss_code}


def contact(world, side):
    return {**council(world, side), "pk": world.side(side).link_officer.pk}


def case(world, side):
    return {"pk": world.side(side).complaint.pk}


def note(world, side):
    return {**case(world, side), "note_pk": world.side(side).note.pk}


def document(world, side):
    return {**case(world, side), "document_pk": world.side(side).document.pk}


def case_letter(world, side):
    return {**case(world, side), "letter_pk": world.side(side).case_letter.pk}


def case_email(world, side):
    return {**case_letter(world, side), "email_pk": world.side(side).case_email.pk}


def recommendation(world, side):
    return {**case(world, side), "recommendation_pk": world.side(side).recommendation.pk}


def year(world, side=None):
    return {"label": world.review_year.label}


def run(world, side=None):
    return {**year(world), "pk": world.run.pk}


def letter(world, side):
    return {**year(world), "pk": world.side(side).letter.pk}


EXPECTED: dict[str, Entry] = {
    # Sign-in, two-step verification, account and password pages.
    "home": Entry(
        get=row(REDIRECT, OK, OK, REDIRECT, REDIRECT, OK),
        post=row(REDIRECT, OK, OK, REDIRECT, REDIRECT, OK),  # a page that ignores the method
    ),
    "healthz": Entry(get=EVERYONE, post=EVERYONE),
    "login": Entry(
        get=row(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
        post=row(FORM_ERRORS, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    ),
    "logout": Entry(get=row(*[NOT_ALLOWED] * 6), post=row(*[LOGIN] * 6)),
    "two-factor-verify": Entry(
        get=row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
        post=row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    ),
    "two-factor-setup": Entry(
        get=SIGNED_IN, post=row(LOGIN, FORM_ERRORS, FORM_ERRORS, FORM_ERRORS, FORM_ERRORS, FORM_ERRORS)
    ),
    # Staff enrolment: every role here has an authenticator already, so both send it on to set-up.
    "two-factor-enrol-code": Entry(
        get=row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
        post=row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    ),
    "two-factor-enrol": Entry(
        get=row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
        kwargs=lambda world, side: {"token": "not-a-link-anyone-was-sent"},
    ),
    "two-factor-recovery-codes": Entry(
        get=row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT), post=SIGNED_IN
    ),
    "account": Entry(get=SIGNED_IN, post=SIGNED_IN),
    "organisation-edit": Entry(get=MANAGERS, post=MANAGER_FORM),
    "password_change": Entry(
        get=SIGNED_IN, post=row(LOGIN, FORM_ERRORS, FORM_ERRORS, FORM_ERRORS, FORM_ERRORS, FORM_ERRORS)
    ),
    "password_change_done": Entry(get=SIGNED_IN),
    "password_reset": Entry(get=EVERYONE, post=row(*[FORM_ERRORS] * 6)),
    "password_reset_done": Entry(get=EVERYONE),
    "password_reset_confirm": Entry(
        get=row(*[REDIRECT] * 6),
        post=row(*[REDIRECT] * 6),
        kwargs=lambda world, side: {"uidb64": world.reset_uid, "token": world.reset_token},
    ),
    "password_reset_complete": Entry(get=EVERYONE),
    # The council register (staff).
    "councils:council-list": Entry(get=STAFF),
    "councils:council-detail": Entry(get=STAFF, kwargs=council),
    "councils:council-edit": Entry(get=MANAGERS, post=MANAGER_FORM, kwargs=council),
    "councils:contact-add": Entry(get=MANAGERS, post=MANAGER_FORM, kwargs=council),
    "councils:contact-edit": Entry(get=MANAGERS, post=MANAGER_FORM, kwargs=contact),
    "councils:contact-remove": Entry(get=MANAGERS, post=MANAGER_ACTION, kwargs=contact),
    "councils:contact-invite": Entry(get=MANAGERS, post=MANAGER_ACTION, kwargs=contact),
    # Casework (staff; the export with personal data and categories for managers).
    "complaints:case-list": Entry(get=STAFF),
    "complaints:my-cases": Entry(get=STAFF),
    "complaints:case-create": Entry(get=STAFF, post=STAFF_FORM),
    "complaints:case-export": Entry(get=STAFF, logged=True),
    "complaints:case-export-personal": Entry(get=MANAGERS, post=MANAGER_FORM),
    "complaints:remedy-queue": Entry(get=STAFF),
    "complaints:case-detail": Entry(get=STAFF, kwargs=case),
    "complaints:case-edit": Entry(get=STAFF, post=STAFF_FORM, kwargs=case),
    "complaints:case-assign": Entry(get=STAFF, post=STAFF_ACTION, kwargs=case),  # empty: unassigned
    "complaints:case-close": Entry(get=STAFF, post=STAFF_FORM, kwargs=case),  # a case monitoring remedies stays open
    "complaints:decision-record": Entry(get=STAFF, post=STAFF_FORM, kwargs=case),
    "complaints:recommendation-add": Entry(get=STAFF, post=STAFF_FORM, kwargs=case),
    "complaints:recommendation-edit": Entry(get=STAFF, post=STAFF_FORM, kwargs=recommendation),
    "complaints:recommendation-remove": Entry(get=STAFF, post=STAFF_FORM, kwargs=recommendation),  # compliance recorded
    "complaints:compliance-record": Entry(get=STAFF, post=STAFF_FORM, kwargs=case),
    "complaints:recommendation-compliance": Entry(get=STAFF, post=STAFF_FORM, kwargs=recommendation),  # recorded
    "complaints:case-reopen": Entry(get=MANAGERS, post=MANAGER_FORM, kwargs=case),  # empty: the reason is required
    # The case file (staff; 404 for everyone else): the manager wrote each side's note, so a caseworker is told to
    # correct it.
    "casefile:note-add": Entry(get=CASE_FILE, post=CASE_FILE_FORM, kwargs=case),
    "casefile:note-edit": Entry(get=CASE_FILE, post=CASE_FILE_FORM, kwargs=note),
    "casefile:note-correct": Entry(get=CASE_FILE, post=CASE_FILE_FORM, kwargs=note),
    "casefile:document-upload": Entry(get=CASE_FILE, post=CASE_FILE_FORM, kwargs=case),
    "casefile:document-download": Entry(get=CASE_FILE, kwargs=document, logged=True),
    "casefile:document-mark": Entry(get=CASE_FILE, post=CASE_FILE_ACTION, kwargs=document),  # empty: both marks off
    "casefile:document-delete": Entry(get=CASE_FILE_MANAGERS, post=CASE_FILE_MANAGER_FORM, kwargs=document),
    "casefile:letter-write": Entry(get=CASE_FILE, post=CASE_FILE_FORM, kwargs=case),
    "casefile:letter-compose": Entry(  # empty: no subject or text
        get=CASE_FILE, post=CASE_FILE_FORM, kwargs=lambda world, side: {**case(world, side), "kind": "enquiry"}
    ),
    "casefile:letter-receive": Entry(get=CASE_FILE, post=CASE_FILE_FORM, kwargs=case),
    "casefile:letter-posted": Entry(get=CASE_FILE, post=CASE_FILE_FORM, kwargs=case_letter),  # empty: no date
    "casefile:letter-email-resend": Entry(get=CASE_FILE, post=CASE_FILE_ACTION, kwargs=case_email),
    "casefile:letter-template-list": Entry(get=CASE_FILE_MANAGERS),
    "casefile:letter-template-edit": Entry(  # empty: no subject or text
        get=CASE_FILE_MANAGERS, post=CASE_FILE_MANAGER_FORM, kwargs=lambda world, side: {"kind": "acknowledgement"}
    ),
    "complaints:category-list": Entry(get=MANAGERS),
    "complaints:category-add": Entry(get=MANAGERS, post=MANAGER_FORM),
    "complaints:category-edit": Entry(
        get=MANAGERS, post=MANAGER_FORM, kwargs=lambda world, side: {"pk": world.category.pk}
    ),
    "complaints:cases-transfer": Entry(  # split between two successors: nothing chosen
        get=MANAGERS, post=MANAGER_FORM, kwargs=lambda world, side: {"gss_code": world.reorganised.gss_code}
    ),
    "complaints:import-upload": Entry(get=MANAGERS, post=MANAGER_FORM),
    "complaints:import-template": Entry(get=MANAGERS),
    "complaints:import-preview": Entry(get=MANAGERS, kwargs=lambda world, side: {"pk": world.import_batch.pk}),
    "complaints:import-confirm": Entry(
        get=MANAGER_POST_ONLY, post=MANAGER_ACTION, kwargs=lambda world, side: {"pk": world.import_batch.pk}
    ),
    "complaints:import-discard": Entry(
        get=MANAGER_POST_ONLY, post=MANAGER_ACTION, kwargs=lambda world, side: {"pk": world.import_batch.pk}
    ),
    # The annual review (managers).
    "reviews:year-list": Entry(get=MANAGERS),
    "reviews:year-create": Entry(get=MANAGERS, post=MANAGER_FORM),
    "reviews:year-detail": Entry(get=MANAGERS, kwargs=year),
    "reviews:year-edit": Entry(get=MANAGERS, post=MANAGER_ACTION, kwargs=year),  # locked: letters were sent
    "reviews:year-quality": Entry(get=MANAGERS, kwargs=year),
    "reviews:year-run": Entry(get=MANAGERS, post=MANAGER_ACTION, kwargs=year),
    "reviews:year-publish": Entry(get=MANAGERS, post=MANAGER_FORM, kwargs=year),  # already published
    "reviews:year-withdraw": Entry(get=MANAGERS, post=MANAGER_FORM, kwargs=year),  # no reason given
    "reviews:no-letter-reason": Entry(  # the year is published: reasons are fixed
        get=MANAGERS, post=MANAGER_FORM, kwargs=lambda world, side: {**year(world), **council(world, side)}
    ),
    "reviews:run-progress": Entry(get=MANAGERS, kwargs=run),
    "reviews:run-progress-json": Entry(get=MANAGERS, kwargs=run),
    "reviews:run-retry": Entry(get=MANAGER_POST_ONLY, post=MANAGER_ACTION, kwargs=run),
    "reviews:letter-list": Entry(get=MANAGERS, kwargs=year),
    "reviews:letters-bulk-approve": Entry(  # nothing chosen: back to the list
        get=row(LOGIN, DENIED, REDIRECT, DENIED, DENIED, REDIRECT), post=MANAGER_ACTION, kwargs=year
    ),
    "reviews:letters-send": Entry(get=MANAGERS, post=MANAGER_ACTION, kwargs=year),
    "reviews:letter-detail": Entry(get=MANAGERS, kwargs=letter),
    "reviews:letter-approve": Entry(get=MANAGER_POST_ONLY, post=MANAGER_ACTION, kwargs=letter),
    "reviews:letter-return": Entry(get=MANAGERS, post=MANAGER_FORM, kwargs=letter),
    "reviews:letter-reissue": Entry(get=MANAGERS, post=MANAGER_FORM, kwargs=letter),
    "reviews:outbox-resend": Entry(
        get=MANAGER_POST_ONLY,
        post=MANAGER_ACTION,
        kwargs=lambda world, side: {**year(world), "pk": world.side(side).email.pk},
    ),
    "reviews:letter-preview": Entry(get=MANAGERS, kwargs=letter),
    "reviews:letter-pdf": Entry(get=MANAGERS, kwargs=letter),
    "reviews:letter-paragraph": Entry(
        get=MANAGERS, post=MANAGER_FORM, kwargs=lambda world, side: {**year(world), **council(world, side)}
    ),
    # The council portal (council users, their own council only).
    "portal:home": Entry(get=row(LOGIN, DENIED, DENIED, OK, OK, DENIED)),
    "portal:letter-pdf": Entry(get=OWN_COUNCIL_FILE, kwargs=lambda world, side: {"pk": world.side(side).letter.pk}),
    "portal:annex": Entry(  # the user's own council's annex, whoever asks
        get=row(LOGIN, DENIED, DENIED, OK, OK, DENIED),
        kwargs=lambda world, side: {**year(world), "annex": next(iter(annexes.ANNEXES))},
    ),
    "councils:invitation-accept": Entry(
        get=EVERYONE,
        post=row(*[FORM_ERRORS] * 6),
        kwargs=lambda world, side: {"token": world.side(side).invitation_token},
    ),
    # Public pages (everyone, once a year is published).
    "published:home": Entry(get=EVERYONE),
    "published:council": Entry(get=EVERYONE, kwargs=council),
    "published:letter-pdf": Entry(get=EVERYONE, kwargs=lambda world, side: {**council(world, side), **year(world)}),
    "published:open-data": Entry(get=EVERYONE),
    "published:open-data-csv": Entry(get=EVERYONE, kwargs=year),
    "published:open-data-json": Entry(get=EVERYONE, kwargs=year),
    "published:open-data-changes": Entry(get=EVERYONE, kwargs=year),
}

# Answers that refuse.
REFUSALS = (NOT_ALLOWED, LOGIN, DENIED, NOT_FOUND, GONE)
# What a browser always posts; an empty POST would leave `Form(request.POST or None)` unbound.
POST_DATA = {"csrfmiddlewaretoken": "posted-by-the-form"}


def test_every_url_has_an_entry():
    names = set(url_names())

    missing = sorted(names - set(EXPECTED))
    stale = sorted(set(EXPECTED) - names)

    assert not missing, (
        f"URL(s) without an entry in tests/security/test_url_matrix.py EXPECTED: {missing}. "
        "Add a line saying what each role (anonymous, caseworker, manager, council user of the object's "
        "council, council user of another council, superuser) gets for GET and, for an action, POST."
    )
    assert not stale, f"EXPECTED names URL(s) that no longer exist: {stale}"


def url_for(name: str, world: World, side: str) -> str:
    entry = EXPECTED[name]
    return reverse(name, kwargs=entry.kwargs(world, side) if entry.kwargs else None)


def per_council(name: str, world: World) -> bool:
    """Whether the URL names one council's objects (it differs between A and B)."""
    return url_for(name, world, "A") != url_for(name, world, "B")


def check(problems: list, label: str, response, outcome) -> None:
    problem = outcome.problem(response)
    if problem:
        problems.append(f"{label}: {problem}")
    problems.extend(f"{label}: {issue}" for issue in response_problems(response))


def post_expectations(entry: Entry, role: str, side_expected: dict) -> tuple:
    """What a POST may get: the entry's POST row, or for a page that is not an action, 405 or
    the GET's refusal (sign in, 403, 404)."""
    if entry.post is not None:
        return (side_expected["post"][role],)
    refusal = side_expected["get"][role]
    return (NOT_ALLOWED, refusal) if refusal in REFUSALS else (NOT_ALLOWED,)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_url_answers_each_role_as_expected(name, world, clients):
    entry = EXPECTED[name]
    problems: list[str] = []
    sides = ("A", "B") if per_council(name, world) else ("A",)

    for side in sides:
        url = url_for(name, world, side)
        expected = {"get": entry.get, "post": entry.post}
        if side == "B":
            expected = {key: mirrored(value) if value else None for key, value in expected.items()}
        for role in ROLES:
            response, changes = clients.request(role, "GET", url)
            check(problems, f"GET {url} as {role}", response, expected["get"][role])
            if (role != "anonymous" or expected["get"][role] == LOGIN) and "no-store" not in response.get(
                "Cache-Control", ""
            ):
                problems.append(f"GET {url} as {role}: no Cache-Control: no-store")
            if changes > (1 if entry.logged and expected["get"][role] == OK else 0):
                problems.append(f"GET {url} as {role}: {changes} change(s) recorded by a GET")
            allowed = post_expectations(entry, role, expected)
            response, changes = clients.request(role, "POST", url, data=POST_DATA)
            if all(outcome.problem(response) for outcome in allowed):
                problems.append(
                    f"POST {url} as {role}: got {response.status_code}, expected {' or '.join(map(str, allowed))}"
                )
            problems.extend(f"POST {url} as {role}: {issue}" for issue in response_problems(response))
            if changes and all(outcome in REFUSALS for outcome in allowed):
                problems.append(f"POST {url} as {role}: refused, yet {changes} change(s) recorded")

    assert not problems, "\n".join(problems)


def csrf_role(entry: Entry) -> str:
    """Someone the action is for: the first role whose POST is not refused outright."""
    for role in ("manager", "caseworker", "council_user", "superuser", "other_council_user", "anonymous"):
        if entry.post[role] not in (DENIED, NOT_FOUND) and not (role == "anonymous" and entry.post[role] == LOGIN):
            return role
    raise AssertionError("nobody may post to this URL: is it an action?")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(name for name, entry in EXPECTED.items() if entry.post is not None))
def test_action_refuses_post_without_csrf_token(name, world, clients):
    entry = EXPECTED[name]
    url = url_for(name, world, "A")
    role = csrf_role(entry)

    response, changes = clients.request(role, "POST", url, data=POST_DATA, enforce_csrf=True)

    assert response.status_code == 403, f"POST {url} as {role} without a valid CSRF token: {response.status_code}"
    assert "This form has expired" in response.content.decode()
    assert response_problems(response) == []
    assert changes == 0


# Hostile input for every URL: each path segment replaced by values its converter lets through,
# and parameters the pages read (or libraries behind them do). Never a 500; a NUL is a 400.
HOSTILE_SEGMENTS = {
    "str": ["\x00", "a\x00b", "²", "\r\nSet-Cookie: x=1", "x" * 2000, "..", "ſ", "%", "2099-00", "-1"],
    "slug": ["x" * 2000, "_-_", "0"],
    "int": ["0", "9" * 25, "9223372036854775808", "0001"],
}
HOSTILE_PARAMETERS = [
    {"page": "-1"},
    {"page": "0"},
    {"page": "9" * 25},
    {"page": "abc"},
    {"per_page": "120000"},
    {"per_page": "-1"},
    {"per_page": "0"},
    {"parent": "²"},
    {"parent": "9" * 25},
    {"q": "\x00"},
    {"sort": "password"},
    {"next": "//evil.example/"},
    {"council": "\x00"},
    {"status": "x" * 5000},
]
CONVERTER_RE = re.compile(r"<(?:(\w+):)?(\w+)>")


def converters(name: str) -> dict[str, str]:
    """{kwarg: converter name} from the URL's route."""
    return {kwarg: converter or "str" for converter, kwarg in CONVERTER_RE.findall(url_names()[name])}


def reaching_role(entry: Entry) -> str:
    """Who gets furthest into the page: the first role the GET answers 200, else the superuser."""
    return next((role for role in ROLES if entry.get[role].status == 200), "superuser")


def hostile_urls(name: str, world: World) -> list[str]:
    entry = EXPECTED[name]
    kwargs = entry.kwargs(world, "A") if entry.kwargs else {}
    urls = []
    for kwarg, converter in converters(name).items():
        for value in HOSTILE_SEGMENTS[converter]:
            try:
                urls.append(reverse(name, kwargs={**kwargs, kwarg: value}))
            except NoReverseMatch:  # the converter refuses it: the URL cannot be asked for
                continue
    base = reverse(name, kwargs=kwargs or None)
    urls += [f"{base}?{urlencode(parameters)}" for parameters in HOSTILE_PARAMETERS]
    return urls


def hostile_problem(response, url: str) -> str | None:
    if response.status_code >= 500:
        return f"got {response.status_code}"
    if "%00" in url and response.status_code != 400:
        return f"got {response.status_code}{' -> ' + response['Location'] if response.has_header('Location') else ''} for a NUL, expected 400"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_url_answers_hostile_segments_and_parameters(name, world, clients):
    entry = EXPECTED[name]
    problems: list[str] = []
    roles = {"anonymous", reaching_role(entry)}

    for url in hostile_urls(name, world):
        for role, method in [(role, "GET") for role in sorted(roles)] + [(reaching_role(entry), "POST")]:
            label = f"{method} {url[:120]} as {role}"
            try:
                response, _ = clients.request(role, method, url, data=POST_DATA if method == "POST" else None)
            except Exception as error:  # noqa: BLE001 -- every failure is listed, not just the first
                problems.append(f"{label}: raised {error!r}")
                continue
            problem = hostile_problem(response, url)
            if problem:
                problems.append(f"{label}: {problem}")
            problems.extend(f"{label}: {issue}" for issue in response_problems(response))

    assert not problems, "\n".join(problems)


def missing_objects(name: str, world: World) -> dict:
    """The URL's kwargs for objects that do not exist."""
    missing = {"int": 987654321, "str": "zz-not-there", "slug": "zz-not-there"}
    return {kwarg: missing[converter] for kwarg, converter in converters(name).items()}


def sign_in_url(next_url: str) -> str:
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return f"{reverse('login')}?{query.urlencode(safe='/')}"


SIGNED_IN_NAMES = sorted(
    name for name, entry in EXPECTED.items() if entry.get["anonymous"] == LOGIN and converters(name)
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", SIGNED_IN_NAMES)
def test_url_sends_anonymous_to_sign_in_before_any_lookup(name, world, client):
    entry = EXPECTED[name]
    urls = [reverse(name, kwargs=entry.kwargs(world, "A")), reverse(name, kwargs=missing_objects(name, world))]

    for url in urls:
        for method in ("GET", "POST"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url) if method == "GET" else client.post(url, POST_DATA)

            assert (method, response.status_code, response.get("Location")) == (method, 302, sign_in_url(url))
            assert [query["sql"] for query in queries.captured_queries] == [], f"{method} {url}"
