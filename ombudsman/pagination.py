"""Pagination: one mixin for every table (PagedTableMixin), and a count without COUNT(*) for a
whole big table (EstimatedCountPaginator).

Counting a million rows takes PostgreSQL longer than the rest of a page. For a list showing
every row of a table (no filter), PostgreSQL's own estimate of the table's size (pg_class.
reltuples, kept up to date by ANALYZE and autovacuum, within a few per cent) is enough: the
page says "about". Below ESTIMATE_FROM rows, or when the table has never been analysed, the
count is exact. Estimates are rounded to the thousand.
"""

from django.core.paginator import EmptyPage, Paginator
from django.db import connection
from django.http import Http404
from django.utils.functional import cached_property
from django_tables2 import RequestConfig, SingleTableMixin

ESTIMATE_FROM = 100_000


def estimated_rows(model) -> int | None:
    """PostgreSQL's estimate of the number of rows in the model's table; None if unknown."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    """A paginator for every row of `model`'s table: counts only small tables exactly.
    `is_estimate` says which (the page says "about" when it is)."""

    def __init__(self, object_list, per_page, *args, model, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.model = model
        self.is_estimate = False

    @cached_property
    def count(self) -> int:
        estimate = estimated_rows(self.model)
        if estimate is None or estimate < ESTIMATE_FROM:
            return super().count
        self.is_estimate = True
        return round(estimate, -3)  # "about 1,000,000", not "about 1,000,123"


class PagedTableMixin(SingleTableMixin):
    """django-tables2's SingleTableMixin for every table of ours (tests/security checks that).

    The page size is the view's (`table_pagination`/`paginate_by`), never the request's:
    django-tables2 honoured `?per_page=`, and 120,000 cases a page took 30 s. A page number that
    is not a page of the table is a 404, decided from the count alone: django-tables2 showed the
    last page instead, a deep OFFSET over a big table (5-8 s), and raised for a negative size.
    """

    def get_table(self, **kwargs):
        table = RequestConfig(self.request, paginate=False).configure(  # sorting only
            self.get_table_class()(data=self.get_table_data(), **kwargs)
        )
        options = self.get_table_pagination(table)
        if options is False:
            return table
        options = dict(options) if isinstance(options, dict) else {}
        options.pop("silent", None)
        try:
            table.paginate(page=page_number(self.request.GET.get(table.prefixed_page_field)), **options)
        except EmptyPage:
            raise Http404("No such page") from None
        return table


def page_number(value: str | None) -> int:
    """A page number from the query string: 1 when absent, else 1 to 999,999,999 (404 otherwise)."""
    if value in (None, ""):
        return 1
    if not (value.isascii() and value.isdigit() and len(value) <= 9) or int(value) < 1:
        raise Http404("No such page")
    return int(value)
