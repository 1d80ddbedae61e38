"""Template filters for ombudsman.formatting: `{% load formatting %}`, then
`{{ day|long_date }}`, `{{ moment|long_datetime }}`, `{{ day|short_date }}`, `{{ moment|short_datetime }}`, `{{ value|percentage }}`, `{{ value|per_100k }}`.
An empty value (None, "") prints as "", as the functions do for no figure."""

from django import template

from ombudsman import formatting

register = template.Library()


@register.filter
def long_date(day) -> str:
    return formatting.long_date(day) if day else ""


@register.filter
def long_datetime(moment) -> str:
    return formatting.long_datetime(moment) if moment else ""


@register.filter
def short_date(day) -> str:
    return formatting.short_date(day) if day else ""


@register.filter
def short_datetime(moment) -> str:
    return formatting.short_datetime(moment) if moment else ""


@register.filter
def percentage(value) -> str:
    return "" if value in (None, "") else formatting.percentage(value)


@register.filter
def per_100k(value) -> str:
    return "" if value in (None, "") else formatting.per_100k(value)
