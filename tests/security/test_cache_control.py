"""Pages with complainants' data are never stored by a browser or proxy (issue 14 §5), by rule
(ombudsman.middleware.SignInRequiredMiddleware: every response to a signed-in user and every
response outside the public site says Cache-Control: no-store, private), not view by view; the
public site keeps its caching for visitors (open data files: ETag and Last-Modified, 304)."""

import pytest
from django.utils.cache import get_max_age

from tests.security.access import OK
from tests.security.test_url_matrix import EXPECTED, url_for

# Staff-only pages (the case page, the case list and its exports, the case file, the remedy
# queue, imports, councils' staff pages, the annual review...): staff get them, nobody else does.
STAFF_ONLY = sorted(
    name
    for name, entry in EXPECTED.items()
    if OK in (entry.get["caseworker"], entry.get["manager"])
    and OK not in (entry.get["anonymous"], entry.get["council_user"], entry.get["other_council_user"])
)
# The public site, but for the letter PDF: counted per download, it says no-store itself (reviews.downloads).
PUBLIC_SITE = sorted(name for name in EXPECTED if name.startswith("published:") and name != "published:letter-pdf")


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_the_staff_pages_include_those_with_complainants_data():
    assert {
        "complaints:case-list",
        "complaints:case-detail",
        "complaints:case-export",
        "complaints:case-export-personal",
        "complaints:remedy-queue",
        "casefile:note-add",
    } <= set(STAFF_ONLY)


@pytest.mark.django_db
def test_every_staff_page_says_no_store_to_its_staff(world, clients):
    problems = []
    for name in STAFF_ONLY:
        role = "caseworker" if EXPECTED[name].get["caseworker"] == OK else "manager"
        url = url_for(name, world, "A")

        response, _ = clients.request(role, "GET", url)

        if response.status_code != 200 or not {"no-store", "private"} <= directives(response):
            problems.append(f"{url} as {role}: {response.status_code} {response.get('Cache-Control')!r}")
        if "public" in directives(response) or get_max_age(response):
            problems.append(f"{url} as {role}: may be kept: {response.get('Cache-Control')!r}")

    assert problems == []


@pytest.mark.django_db
def test_the_public_site_keeps_its_caching_for_visitors(world, clients):
    stored = []
    for name in PUBLIC_SITE:
        response, _ = clients.request("anonymous", "GET", url_for(name, world, "A"))

        if response.status_code != 200 or "no-store" in directives(response):
            stored.append(f"{name}: {response.status_code} {response.get('Cache-Control')!r}")

    assert stored == []


@pytest.mark.django_db
def test_an_open_data_file_answers_a_visitor_who_has_it_with_304(world, clients):
    url = url_for("published:open-data-csv", world, "A")
    first, _ = clients.request("anonymous", "GET", url)

    again = clients.get("anonymous", False).get(url, headers={"if-none-match": first["ETag"]})

    assert (first.status_code, bool(first["ETag"]), bool(first["Last-Modified"])) == (200, True, True)
    assert "no-store" not in directives(first)
    assert again.status_code == 304
