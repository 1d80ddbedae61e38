"""Notes and documents are staff-only: their pages answer 404 to everyone else, like a page that does not exist; every page, file and export outside the case file's own pages and the case
page itself is asked by every role, and none carries a note's text or a document's name (annexes, open data, the portal,
the public site, the case export, letters' previews)."""

import io
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.security.access import ROLES, Clients
from tests.security.test_url_matrix import EXPECTED, POST_DATA, missing_objects, url_for
from tests.security.world import build_world

# Where staff read the case file: the case page and the case file's own pages.
CASE_FILE_PAGES = {"complaints:case-detail"}
# Compressed PDF streams cannot be searched for text; letters are built from the year's figures only.
PDF = "application/pdf"
TABLE_RE = re.compile(r'FROM "(\w+)"')
# The sign-out form's token is masked afresh on every page.
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def body_texts(response) -> list[bytes]:
    body = getattr(response, "body", None) or response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return [archive.read(name) for name in archive.namelist()]
    return [body]


@pytest.fixture
def world(council, other_council, manager):
    return build_world(council=council, other_council=other_council, manager=manager)


@pytest.mark.django_db
def test_notes_and_documents_appear_on_no_page_or_file_outside_the_case_file(world, request):
    clients = Clients({role: None if role == "anonymous" else request.getfixturevalue(role) for role in ROLES})
    markers = [side.note.text.split(":")[0].encode() for side in (world.a, world.b)]
    markers += [b"evidence 1", b"evidence 2"]  # the documents' names
    found, asked = [], 0

    for name in sorted(EXPECTED):
        if name in CASE_FILE_PAGES or name.startswith("casefile:"):
            continue
        url = url_for(name, world, "A")  # B's objects answer the same way (the URL matrix checks that)
        for role in ROLES:
            response, _changes = clients.request(role, "GET", url)
            if response.status_code != 200 or response.get("Content-Type", "").startswith(PDF):
                continue
            asked += 1
            found += [f"{url} as {role}" for text in body_texts(response) for marker in markers if marker in text]

    assert found == []
    assert asked > 100  # the pages were really read, not all refused


@pytest.mark.django_db
def test_the_case_page_shows_the_note_to_staff(world, client_for):
    response = client_for("caseworker").get(world.a.complaint.get_absolute_url())

    assert world.a.note.text.split(":")[0] in response.content.decode()


CASE_FILE_URLS = sorted(name for name in EXPECTED if name.startswith("casefile:"))
# A URL no route matches: what the case file's pages must be indistinguishable from.
NO_SUCH_PAGE = "/cases/1/no-such-page/"
# Who is asking (a council user's session): read before any view runs.
WHO_IS_ASKING = {"django_session", "auth_user", "auth_group", "auth_user_groups"}


def page(response) -> bytes:
    return CSRF_RE.sub(b"", response.content)


def tables_read(queries) -> set[str]:
    return {table for query in queries.captured_queries for table in TABLE_RE.findall(query["sql"])}


@pytest.mark.parametrize("role", ["anonymous", "council_user", "other_council_user"])
def test_case_file_urls_are_a_404_like_no_page_at_all_outside_staff(role, world, client_for):
    """Also a POST without a CSRF token, which was a 403 (the CSRF failure) and so said the URL was real."""
    client = client_for(role)
    client.handler.enforce_csrf_checks = True
    with CaptureQueriesContext(connection) as queries:
        nowhere = client.get(NO_SUCH_PAGE)
    page_tables = tables_read(queries)  # the 404 page's own (the organisation's name)
    answers = []

    for name in CASE_FILE_URLS:
        for url in (url_for(name, world, "A"), reverse(name, kwargs=missing_objects(name, world))):
            for method in ("GET", "POST"):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url) if method == "GET" else client.post(url, POST_DATA)
                extra = tables_read(queries) - page_tables - WHO_IS_ASKING
                answers.append((method, url, response.status_code, page(response) == page(nowhere), extra))

    assert answers == [(method, url, 404, True, set()) for method, url, *_ in answers]
    assert len(answers) == 4 * len(CASE_FILE_URLS) >= 28
