"""Status tags of letters and their emails, the same on every page."""

from django import template
from django.utils.html import format_html

from reviews.models import OutboxStatus
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
