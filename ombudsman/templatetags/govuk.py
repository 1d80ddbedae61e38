"""Template helpers for GOV.UK Frontend patterns: error summary, pagination, tags."""

from functools import partial

from django import template
from django.forms.formsets import BaseFormSet
from django.template.base import render_value_in_context
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django_tables2.utils import signature

from ombudsman.formatting import counted

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms):
    """An error summary for any number of forms and formsets, linking to each field."""
    errors = []
    for form in forms:
        if form is None:
            continue
        if isinstance(form, BaseFormSet):
            errors.extend({"anchor": None, "message": message} for message in form.non_form_errors())
            for subform in form.forms:
                errors.extend(_form_errors(subform))
        else:
            errors.extend(_form_errors(form))
    return {"errors": errors}


def _form_errors(form) -> list[dict]:
    if not form.is_bound or not form.errors:
        return []
    errors = [{"anchor": None, "message": message} for message in form.non_field_errors()]
    for field in form:
        if field.is_hidden:
            errors.extend({"anchor": None, "message": message} for message in field.errors)
            continue
        anchor = getattr(field, "error_anchor", field.auto_id)
        errors.extend({"anchor": anchor, "message": message} for message in field.errors)
    return errors


@register.simple_tag(takes_context=True)
def page_href(context, number, field=None) -> str:
    """The current URL's query string with one page number changed."""
    query = context["request"].GET.copy()
    query[field or "page"] = number
    return "?" + query.urlencode()


@register.filter
def page_window(page, around: int = 2) -> list[int | None]:
    """Page numbers to show: first, last and a window around the current one; None marks a gap."""
    last = page.paginator.num_pages
    wanted = {1, last} | set(range(max(1, page.number - around), min(last, page.number + around) + 1))
    numbers: list[int | None] = []
    previous = 0
    for number in sorted(wanted):
        if number - previous > 1:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


@register.filter
def plural(count: int, forms: str) -> str:
    """'1 upheld decision' / '2 upheld decisions': `{{ n|plural:"decision,decisions" }}`."""
    singular, _, many = forms.partition(",")
    return counted(count, singular, many)


def _cell_renderer(bound_column):
    """What django-tables2's BoundRow._call_render does for one cell, with the render method's
    signature read once per column (django-tables2 inspects it for every cell)."""
    args, catch_all = signature(bound_column.render)
    render, link = bound_column.render, bound_column.link

    def render_cell(row, bound_column, value=None):
        kwargs = row._optional_cell_arguments(bound_column, value)
        if catch_all:
            content = render(**kwargs)
        elif all(arg in kwargs for arg in args):
            content = render(**{arg: kwargs[arg] for arg in args})
        else:
            content = None
        return link(content, **kwargs) if link else content

    return render_cell


@register.simple_tag(takes_context=True)
def table_body_rows(context, table) -> str:
    """The rows of a django-tables2 table as GOV.UK table rows (the first cell is the row's
    header), built in Python: the template loop asked each cell for its column's attributes
    (worked out afresh every time) and, with django-tables2 reading each render method's
    signature for every cell, cost more than the rest of a 50-row page. Cells are what
    `BoundRow.get_cell` gives; the columns' attrs are plain dicts, so each column's class is
    worked out once per table. Empty when there are no rows."""
    cells = []
    for index, column in enumerate(table.columns):
        css = column.attrs["td"].get("class")
        tag, base, scope = (
            ("th", "govuk-table__header", ' scope="row"') if index == 0 else ("td", "govuk-table__cell", "")
        )
        start = f'<{tag}{scope} class="{base}{" " + escape(css) if css else ""}">'
        cells.append((column, _cell_renderer(column), start, f"</{tag}>"))
    parts = []
    for row in table.paginated_rows:
        parts.append('<tr class="govuk-table__row">')
        for column, render_cell, start, end in cells:
            # The same steps as BoundRow.get_cell, with this column's renderer.
            value = row._get_and_render_with(column, partial(render_cell, row), column.default)
            parts.append(f"{start}{render_value_in_context(value, context)}{end}")
        parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - cells are escaped by render_value_in_context


@register.filter
def break_after_underscores(value) -> str:
    """`satisfactory_remedy_rate` may wrap after each underscore, and nowhere else: a long
    identifier fits a narrow column without its letters or its neighbours' words being split."""
    return mark_safe("_<wbr>".join(escape(part) for part in str(value).split("_")))  # noqa: S308 - each part escaped
