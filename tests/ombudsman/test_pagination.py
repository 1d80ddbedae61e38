"""Every table pages the same way (ombudsman.pagination.PagedTableMixin): the view's page size
whatever `?per_page=` says, and a 404 for a page that is not one, decided without fetching rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_tables2 import SingleTableMixin

from ombudsman.pagination import PagedTableMixin, page_number
from tests import factories


def view_classes(patterns=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from view_classes(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "view_class"):
            yield pattern.callback.view_class


def test_every_table_view_uses_the_paged_table_mixin():
    tables = {view for view in view_classes() if issubclass(view, SingleTableMixin)}

    assert len(tables) >= 7
    assert sorted(view.__name__ for view in tables if not issubclass(view, PagedTableMixin)) == []


@pytest.mark.parametrize(("value", "expected"), [(None, 1), ("", 1), ("1", 1), ("12", 12), ("999999999", 999999999)])
def test_page_number_reads_whole_numbers_from_one(value, expected):
    assert page_number(value) == expected


@pytest.mark.parametrize("value", ["0", "-1", "abc", "²", "1.5", " 1", "1000000000", "9" * 25])
def test_page_number_refuses_anything_else(value):
    from django.http import Http404

    with pytest.raises(Http404):
        page_number(value)


@pytest.mark.django_db
def test_case_list_ignores_per_page(client_for):
    factories.ComplaintFactory.create_batch(51)

    huge = client_for("caseworker").get(reverse("complaints:case-list"), {"per_page": "120000"})
    negative = client_for("caseworker").get(reverse("complaints:case-list"), {"per_page": "-1"})

    assert len(huge.context["table"].page.object_list) == 50
    assert len(negative.context["table"].page.object_list) == 50


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["3", "999999999", "0", "-5", "abc"])
def test_case_list_answers_a_page_out_of_range_with_404_without_fetching_rows(client_for, page):
    factories.ComplaintFactory.create_batch(51)
    client = client_for("caseworker")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("complaints:case-list"), {"page": page})

    assert response.status_code == 404
    rows = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "complaints_complaint"' in q["sql"] and "COUNT(" not in q["sql"]
    ]
    assert rows == []


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"per_page": "-1"}, {"per_page": "0"}, {"page": "-1"}, {"page": "9" * 25}])
def test_public_figures_answer_bad_paging_without_server_error(client, params):
    response = client.get("/figures/", params)  # the path stays when the public pages move

    assert response.status_code in (200, 404)
    assert response.status_code == (200 if "per_page" in params else 404)
