"""Tables for the case list and the remedy monitoring queue (django-tables2, GOV.UK markup).

Only columns an index can sort at a million rows are sortable (reference, date received);
narrow the list with the filters instead of sorting by council or decision.
"""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from complaints.models import Complaint, Outcome, Recommendation, Status

STATUS_TAG_CLASSES = {
    Status.RECEIVED: "govuk-tag--teal",
    Status.ASSESSMENT: "govuk-tag--purple",
    Status.INVESTIGATION: "govuk-tag--magenta",
    Status.DECIDED: "govuk-tag--green",
    Status.REMEDY_MONITORING: "govuk-tag--yellow",
    Status.CLOSED: "govuk-tag--grey",
}
LINK_ATTRS = {"a": {"class": "govuk-link"}}


def status_tag(status: str) -> str:
    label = Status(status).label if status in Status.values else status
    return format_html('<strong class="govuk-tag {}">{}</strong>', STATUS_TAG_CLASSES.get(status, ""), label)


def short_date(day) -> str:
    return date_format(day, "j M Y") if day else ""


def due_tag(due_on, today=None) -> str:
    """ "Overdue by 3 days", "Due today" or "Due in 5 days" as a GOV.UK tag."""
    days = (due_on - (today or timezone.localdate())).days
    if days < 0:
        return format_html(
            '<strong class="govuk-tag govuk-tag--red">Overdue by {} day{}</strong>', -days, "" if days == -1 else "s"
        )
    if days == 0:
        return mark_safe('<strong class="govuk-tag govuk-tag--orange">Due today</strong>')
    return format_html(
        '<strong class="govuk-tag govuk-tag--yellow">Due in {} day{}</strong>', days, "" if days == 1 else "s"
    )


class CaseTable(tables.Table):
    caption = "Cases"  # the view's heading ("My cases") replaces it
    caption_hidden = True  # the page's heading says it
    reference = tables.Column(
        verbose_name="Reference",
        linkify=("complaints:case-detail", [tables.A("pk")]),
        attrs={**LINK_ATTRS, "td": {"class": "app-nowrap"}},
    )
    # Plain columns with render methods, not DateColumn: that renders a template for every cell.
    received_on = tables.Column(verbose_name="Received", attrs={"td": {"class": "app-nowrap"}})
    council = tables.Column(verbose_name="Council", accessor="council__formal_name", orderable=False)
    category = tables.Column(verbose_name="Category", orderable=False)
    status = tables.Column(verbose_name="Status", orderable=False)
    assigned_to = tables.Column(verbose_name="Caseworker", orderable=False, default="Unassigned")
    decision = tables.Column(verbose_name="Decision", accessor="decision_outcome", orderable=False, default="")

    class Meta:
        model = Complaint
        fields = ["reference", "received_on", "council", "category", "status", "assigned_to", "decision"]
        order_by = ("-received_on",)
        empty_text = "No cases match these filters. Change or clear the filters to see more cases."

    def order_received_on(self, queryset, is_descending):
        direction = "-" if is_descending else ""
        return queryset.order_by(f"{direction}received_on", f"{direction}reference"), True

    def render_received_on(self, value):
        return short_date(value)

    def render_category(self, record):
        if record.subcategory_id:
            return format_html(
                '{}<br><span class="govuk-body-s app-secondary">{}</span>',
                record.category.name,
                record.subcategory.name,
            )
        return record.category.name

    def render_status(self, value, record):
        tag = status_tag(record.status)
        if record.is_overdue:
            return format_html('{} <strong class="govuk-tag govuk-tag--red">Overdue</strong>', tag)
        return tag

    def render_decision(self, record):
        label = Outcome(record.decision_outcome).label
        return format_html(
            '{}<br><span class="govuk-body-s app-secondary">{}</span>', label, short_date(record.decision_date)
        )


class RemedyTable(tables.Table):
    """One row per recommendation awaiting compliance, with the action to record its outcome."""

    caption = "Recommendations in remedy monitoring"
    caption_hidden = True  # the page's heading says it
    reference = tables.Column(
        verbose_name="Case",
        accessor="decision__complaint__reference",
        linkify=lambda record: record.decision.complaint.get_absolute_url(),
        attrs={**LINK_ATTRS, "td": {"class": "app-nowrap"}},
        orderable=False,
    )
    council = tables.Column(
        verbose_name="Council", accessor="decision__complaint__council__formal_name", orderable=False
    )
    type = tables.Column(verbose_name="Recommendation", orderable=False)
    due_on = tables.Column(verbose_name="Due", attrs={"td": {"class": "app-nowrap"}})
    # Not app-nowrap: a GOV.UK tag is at most 160px wide, so in a cell that may not wrap
    # "Overdue by 600 days" ran out of its tag and over the next column.
    status = tables.Column(verbose_name="Status", accessor="due_on", orderable=False)
    caseworker = tables.Column(
        verbose_name="Caseworker", accessor="decision__complaint__assigned_to", default="Unassigned", orderable=False
    )
    action = tables.Column(verbose_name="Action", accessor="pk", orderable=False)

    class Meta:
        model = Recommendation
        fields = ["reference", "council", "type", "due_on", "status", "caseworker", "action"]
        empty_text = "No recommendations are overdue or due in the next 14 days."

    def order_due_on(self, queryset, is_descending):
        direction = "-" if is_descending else ""
        return queryset.order_by(f"{direction}due_on", f"{direction}pk"), True

    def render_type(self, record):
        amount = f" (£{record.amount:,.2f})" if record.amount is not None else ""
        return format_html(
            '{}{}<br><span class="govuk-body-s app-secondary">{}</span>',
            record.get_type_display(),
            amount,
            record.get_remedy_kind_display(),
        )

    def render_due_on(self, value):
        return short_date(value)

    def render_status(self, value):
        return due_tag(value)

    def render_action(self, record):
        url = reverse("complaints:recommendation-compliance", args=[record.decision.complaint_id, record.pk])
        return format_html(
            '<a class="govuk-link" href="{}?from=queue">Record outcome'
            '<span class="govuk-visually-hidden"> of the {} recommendation on case {}</span></a>',
            url,
            record.get_type_display().lower(),
            record.decision.complaint.reference,
        )
