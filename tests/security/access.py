"""What a role gets from a URL, and the checks every response must pass, for the URL matrix."""

import re
from dataclasses import dataclass

import pghistory.core
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("anonymous", "caseworker", "manager", "council_user", "other_council_user", "superuser")
INLINE_SCRIPT_RE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE_RE = re.compile(r"<style[\s>]|\sstyle\s*=", re.IGNORECASE)
# An event handler attribute with a real quote (an escaped one, &quot;, is text inside a value).
EVENT_HANDLER_RE = re.compile(r"<[^>]*\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
ERROR_SUMMARY = 'class="govuk-error-summary"'


@dataclass(frozen=True)
class Outcome:
    """An expected answer: a status and, for a redirect, whether it goes to the sign-in page;
    for a page, whether it shows the error summary."""

    status: int
    to_login: bool | None = None
    error_summary: bool = False
    label: str = ""

    def problem(self, response) -> str | None:
        if response.status_code != self.status:
            return f"got {response.status_code}{_where(response)}, expected {self}"
        if self.to_login is not None:
            goes_to_login = response["Location"].split("?")[0] == reverse(settings.LOGIN_URL)
            if goes_to_login != self.to_login:
                return f"redirected to {response['Location']}, expected {self}"
        if self.error_summary and ERROR_SUMMARY not in response.content.decode():
            return "a form page without its error summary"
        return None

    def __str__(self) -> str:
        return self.label or str(self.status)


def _where(response) -> str:
    return f" -> {response['Location']}" if response.status_code in (301, 302) else ""


OK = Outcome(200, label="200")
FORM_ERRORS = Outcome(200, error_summary=True, label="200 with the error summary")
LOGIN = Outcome(302, to_login=True, label="302 to sign in")
REDIRECT = Outcome(302, to_login=False, label="302 (not to sign in)")
DENIED = Outcome(403, label="403")
NOT_FOUND = Outcome(404, label="404")
NOT_ALLOWED = Outcome(405, label="405")
GONE = Outcome(410, label="410")


def row(anonymous, caseworker, manager, council_user, other_council_user, superuser) -> dict[str, Outcome]:
    """One line of the matrix, in ROLES order. council_user is a user of the object's council
    (A), other_council_user one of another council (B)."""
    return dict(zip(ROLES, (anonymous, caseworker, manager, council_user, other_council_user, superuser), strict=True))


def mirrored(expected: dict[str, Outcome]) -> dict[str, Outcome]:
    """The same URL built with council B's objects: each council user is now the other one."""
    return {
        **expected,
        "council_user": expected["other_council_user"],
        "other_council_user": expected["council_user"],
    }


def url_names() -> dict[str, str]:
    """Every named URL pattern outside the admin: {name: route}. Unnamed ones are reported as
    names of the form '<unnamed> route' so that they fail the matrix too."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin" or pattern.app_name == "admin":
                    continue
                inner = pattern.namespace
                full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                walk(pattern.url_patterns, prefix + str(pattern.pattern), full)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if pattern.name is None:
                    found[f"<unnamed> {route}"] = route
                else:
                    found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = route

    walk(get_resolver().url_patterns, "", None)
    return found


def response_problems(response) -> list[str]:
    """What every answer must respect, whoever asks: the Content-Security-Policy header, no
    inline script, style or event handler on HTML pages, and never a traceback."""
    problems = []
    policy = response.get("Content-Security-Policy", "")
    if "script-src 'self'" not in policy or "style-src 'self'" not in policy or "unsafe-inline" in policy:
        problems.append(f"Content-Security-Policy missing or weak: {policy!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.get("X-Frame-Options") != "DENY":
        problems.append("no X-Frame-Options: DENY")
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html") and not getattr(response, "streaming", False):
        html = response.content.decode()
        if INLINE_SCRIPT_RE.search(html):
            problems.append(f"inline script: {INLINE_SCRIPT_RE.search(html).group(0)}")
        if INLINE_STYLE_RE.search(html):
            problems.append(f"inline style near: {html[max(INLINE_STYLE_RE.search(html).start() - 60, 0) :][:140]!r}")
        if EVENT_HANDLER_RE.search(html):
            problems.append(f"inline event handler: {EVENT_HANDLER_RE.search(html).group(0)[:120]}")
        if "Traceback" in html:
            problems.append("a traceback in the page")
    return problems


def history_events() -> int:
    """Every change recorded by the audit history (pghistory), all models together: the rows of
    every event table, the ones `pghistory.models.Events` unions. Counted table by table in one
    query: `Events.objects.count()` builds each row's data and diff as JSON first, 25 ms a count
    against 1 ms here, twice for each of the matrix's tens of thousands of requests."""
    tables = [model._meta.db_table for model in pghistory.core.event_models()]
    sql = " + ".join(f"(SELECT count(*) FROM {connection.ops.quote_name(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql or 0}")
        return cursor.fetchone()[0]


class Clients:
    """One signed-in test client per role and CSRF mode, kept while its session lasts."""

    def __init__(self, users: dict):
        self.users = users
        self.clients: dict[tuple[str, bool], Client] = {}

    def get(self, role: str, enforce_csrf: bool) -> Client:
        key = (role, enforce_csrf)
        if key not in self.clients:
            client = Client(enforce_csrf_checks=enforce_csrf)
            if self.users[role] is not None:
                client.force_login(self.users[role])
            self.clients[key] = client
        return self.clients[key]

    def request(self, role: str, method: str, url: str, *, data=None, enforce_csrf: bool = False):
        """One request as `role`, its writes rolled back afterwards so that every role meets the
        same world. Returns (response, changes recorded by the audit history)."""
        client = self.get(role, enforce_csrf)
        session = _session_cookie(client)
        with transaction.atomic():
            before = history_events()
            response = client.get(url, data or {}) if method == "GET" else client.post(url, data or {})
            if getattr(response, "streaming", False):
                response.body = b"".join(response.streaming_content)  # the generator runs in the transaction
            changes = history_events() - before
            transaction.set_rollback(True)
        if _session_cookie(client) != session:  # signed out or in: the rolled-back session is gone
            del self.clients[(role, enforce_csrf)]
        return response, changes


def _session_cookie(client) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie is not None else None
