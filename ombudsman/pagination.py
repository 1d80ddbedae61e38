"""Pagination over a whole big table without COUNT(*).

Counting a million rows takes PostgreSQL longer than the rest of a page. For a list showing
every row of a table (no filter), PostgreSQL's own estimate of the table's size (pg_class.
reltuples, kept up to date by ANALYZE and autovacuum, within a few per cent) is enough: the
page says "about". Below ESTIMATE_FROM rows, or when the table has never been analysed, the
count is exact. Estimates are rounded to the thousand.
"""

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

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
