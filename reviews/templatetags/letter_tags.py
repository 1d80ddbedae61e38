"""Status tags of letters and their emails, and the flag on a rate resting on few cases, the same on every page."""

from django import template
from django.utils.html import format_html

from reviews.models import OutboxStatus
from reviews.statistics.figures import FEW_CASES
from reviews.views.tables import status_tag

register = template.Library()

EMAIL_COLOURS = {
    OutboxStatus.QUEUED: "grey",
    OutboxStatus.SENDING: "blue",
    OutboxStatus.SENT: "green",
    OutboxStatus.FAILED: "red",
    OutboxStatus.CANCELLED: "grey",
}


@register.filter
def letter_status(letter) -> str:
    return status_tag(letter)


@register.filter
def email_status(message) -> str:
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        EMAIL_COLOURS.get(message.status, "grey"),
        message.get_status_display(),
    )


@register.simple_tag
def few_cases_label() -> str:
    """The words "Fewer than 10 cases", shown as "<10 cases" on a phone (four lines in a narrow column else):
    the short words are hidden from screen readers, which read the long ones (visually hidden there)."""
    return format_html(
        '<span class="app-few-cases__long">Fewer than {} cases</span>'
        '<span class="app-few-cases__short" aria-hidden="true">&lt;{} cases</span>',
        FEW_CASES,
        FEW_CASES,
    )


@register.simple_tag
def few_cases_tag() -> str:
    """The flag beside a rate resting on fewer than FEW_CASES cases (DOMAIN.md "Small numbers")."""
    return format_html('<strong class="govuk-tag govuk-tag--yellow app-few-cases">{}</strong>', few_cases_label())
