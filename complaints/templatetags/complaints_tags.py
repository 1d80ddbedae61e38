"""Template helpers for casework pages: status and due-date tags, summary list rows."""

from django import template

from complaints import tables
from ombudsman.periods import ReviewPeriod

register = template.Library()


@register.simple_tag
def status_tag(status: str) -> str:
    return tables.status_tag(status)


@register.simple_tag
def due_tag(due_on) -> str:
    return tables.due_tag(due_on)


@register.inclusion_tag("complaints/_summary_row.html")
def summary_row(key, value, href=None, hidden=None, show_action=False, why=""):
    """A GOV.UK summary list row, with a "Change" link when show_action is true; otherwise `why`
    (if given) says in the actions column why there is none ("Closed: a manager can correct this")."""
    return {
        "key": key,
        "value": value,
        "href": href,
        "hidden": hidden or str(key).lower(),
        "show_action": show_action,
        "why": why,
    }


@register.filter
def review_year(day) -> str:
    return ReviewPeriod.containing(day).label if day else ""
