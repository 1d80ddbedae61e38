"""Template helpers for GOV.UK Frontend patterns: error summary, pagination, tags."""

from django import template
from django.forms.formsets import BaseFormSet

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
    return f"{count} {singular if count == 1 else many}"
