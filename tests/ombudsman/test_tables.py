"""Tables and list pages: every table has a caption, every scroll wrapper is a focusable region with
a name, and paged or filtered lists say so in their page titles."""

import importlib
import re
from pathlib import Path

import django_tables2 as tables
import pytest
from django.conf import settings
from django.urls import reverse

from complaints import selectors
from complaints.filters import CaseFilter
from ombudsman.pagination import filter_descriptions, list_title_details
from tests import factories

APPS = ["complaints", "councils", "reviews", "published", "portal", "ombudsman"]
TABLE_MODULES = ["complaints.tables", "councils.tables", "reviews.views.tables", "published.tables"]
TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", *(Path(settings.BASE_DIR) / app / "templates" for app in APPS)]


def our_table_classes() -> list[type]:
    for module in TABLE_MODULES:
        importlib.import_module(module)
    found, todo = [], list(tables.Table.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in APPS:
            found.append(cls)
    return found


def our_templates() -> list[Path]:
    return sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html"))


def test_every_table_class_has_a_caption():
    classes = our_table_classes()

    assert len(classes) == 7
    assert [cls.__name__ for cls in classes if not getattr(cls, "caption", "")] == []


@pytest.mark.parametrize("path", our_templates(), ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_every_table_in_a_template_has_a_caption_and_every_wrapper_is_a_named_region(path):
    html = path.read_text()

    tables_without_caption = [
        match.start()
        for match in re.finditer(r"<table\b", html)
        if not re.match(r"<table[^>]*>\s*<caption\b", html[match.start() :])
    ]
    wrappers = re.findall(r'<div class="app-table-wrapper"[^>]*>', html)
    unnamed = [tag for tag in wrappers if not re.search(r'tabindex="0" role="region" aria-label="[^"]+"', tag)]
    assert (tables_without_caption, unnamed) == ([], [])


def test_list_title_details():
    assert list_title_details([], page=1, pages=1) == ""
    assert list_title_details([], page=2, pages=40) == " (page 2 of 40)"
    assert list_title_details([], page=1, pages=2_400, about=True) == " (page 1 of about 2,400)"
    assert (
        list_title_details(["Blaby District Council", "Upheld"], page=1, pages=1) == ": Blaby District Council, Upheld"
    )


@pytest.mark.django_db
def test_filter_descriptions_read_as_the_form_shows_them(council):
    data = {"council": council.pk, "outcome": "upheld", "status": ["received", "closed"], "overdue": "on", "q": "smith"}
    filterset = CaseFilter(data, queryset=selectors.complaint_list())

    assert filter_descriptions(filterset) == [
        "“smith”",
        "Blaby District Council",
        "Received or Closed",
        "Upheld",
        "Only cases with overdue remedies",
    ]
    assert filter_descriptions(CaseFilter({"outcome": "nonsense"}, queryset=selectors.complaint_list())) == []
    assert filter_descriptions(None) == []


@pytest.mark.django_db
def test_case_list_title_says_which_page_and_which_filters(client_for, council, settings):
    import complaints.views.cases as cases

    factories.ComplaintFactory.create_batch(3, council=council)
    client = client_for("caseworker")

    cases.CaseListView.table_pagination = {"per_page": 2}
    try:
        second = client.get(reverse("complaints:case-list"), {"page": 2})
        filtered = client.get(reverse("complaints:case-list"), {"council": council.pk, "outcome": "none"})
    finally:
        cases.CaseListView.table_pagination = {"per_page": cases.PAGE_SIZE}

    assert (
        re.search(r"<title>(.*)</title>", second.content.decode()).group(1)
        == "Cases (page 2 of 2) – Ombudsman casework"
    )
    title = re.search(r"<title>(.*)</title>", filtered.content.decode()).group(1)
    assert title == "Cases: Blaby District Council, No decision yet (page 1 of 2) – Ombudsman casework"
    html = second.content.decode()
    assert '<div class="app-table-wrapper" tabindex="0" role="region" aria-label="Cases">' in html
    assert '<caption class="govuk-table__caption govuk-visually-hidden">Cases</caption>' in html
