"""Pagination: one mixin for every table (PagedTableMixin), and a count without COUNT(*) for a
whole big table (EstimatedCountPaginator).

Counting a million rows takes PostgreSQL longer than the rest of a page. For a list showing
every row of a table (no filter), PostgreSQL's own estimate of the table's size (pg_class.
reltuples, kept up to date by ANALYZE and autovacuum, within a few per cent) is enough: the
page says "about". Below ESTIMATE_FROM rows, or when the table has never been analysed, the
count is exact. Estimates are rounded to the thousand.

A paged or filtered list says so in its page title ("Cases: Blaby District Council, Upheld
(page 2 of 40)"): `list_title_details`, from the filters the form applied (`filter_descriptions`).
Every table has a caption (the table's own, or the view's `table_caption`).
"""

from django import forms
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

    table_caption: str | None = None  # replaces the table class's caption (a view's own heading)
    title_filters_ignored: tuple[str, ...] = ()  # filters the page title already names (e.g. the year)

    def get_table_caption(self) -> str | None:
        return self.table_caption

    def get_table(self, **kwargs):
        table = RequestConfig(self.request, paginate=False).configure(  # sorting only
            self.get_table_class()(data=self.get_table_data(), **kwargs)
        )
        if caption := self.get_table_caption():
            table.caption = caption
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = context.get(self.get_context_table_name(None))
        page = getattr(table, "page", None)
        paginator = getattr(table, "paginator", None)
        context["title_details"] = list_title_details(
            filter_descriptions(getattr(self, "filterset", None), ignored=self.title_filters_ignored),
            page=page.number if page else None,
            pages=paginator.num_pages if paginator else None,
            about=getattr(paginator, "is_estimate", False),
        )
        return context


def list_title_details(filters: list[str], *, page: int | None, pages: int | None, about: bool = False) -> str:
    """What a list's page title adds to its name: ": Blaby District Council, Upheld (page 2 of 40)"."""
    details = f": {', '.join(filters)}" if filters else ""
    if page and pages and pages > 1:
        details += f" (page {page:,} of {'about ' if about else ''}{pages:,})"
    return details


def choice_labels(choices) -> dict[str, str]:
    """Option labels by value, groups flattened. Iterated, never measured: django-filter's choices
    from a callable have no len()."""
    labels = {}
    for key, label in iter(choices):
        if isinstance(label, list | tuple):
            labels.update((str(inner_key), str(inner_label)) for inner_key, inner_label in label)
        else:
            labels[str(key)] = str(label)
    return labels


def filter_descriptions(filterset, *, ignored: tuple[str, ...] = ()) -> list[str]:
    """The filters a bound, valid filter form applies, each as the form shows it: the option chosen,
    the options ticked ("Open or Closed"), a ticked box's label, or the words searched for."""
    if filterset is None or not filterset.is_bound or not filterset.form.is_valid():
        return []
    descriptions = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if name in ignored or value in (None, "", False) or (isinstance(value, list | tuple) and not value):
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            descriptions.append(" or ".join(str(item) for item in value))
        elif isinstance(field, forms.ModelChoiceField):
            descriptions.append(str(value))
        elif isinstance(field, forms.ChoiceField):
            labels = choice_labels(field.choices)
            values = value if isinstance(value, list | tuple) else [value]
            descriptions.append(" or ".join(labels.get(str(item), str(item)) for item in values))
        elif isinstance(field, forms.BooleanField | forms.NullBooleanField):
            descriptions.append(str(field.label))
        else:
            descriptions.append(f"“{value}”")
    return descriptions


def page_number(value: str | None) -> int:
    """A page number from the query string: 1 when absent, else 1 to 999,999,999 (404 otherwise)."""
    if value in (None, ""):
        return 1
    if not (value.isascii() and value.isdigit() and len(value) <= 9) or int(value) < 1:
        raise Http404("No such page")
    return int(value)
