import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ombudsman.formatting import per_100k_in_table, percentage, short_date
from reviews.models import AnnualLetter, LetterStatus, ReviewYear
from reviews.selectors import year_status

TAG_COLOURS = {
    LetterStatus.PENDING: "grey",
    LetterStatus.RENDERING: "blue",
    LetterStatus.READY: "turquoise",
    LetterStatus.RETURNED: "pink",
    LetterStatus.FAILED: "red",
    LetterStatus.APPROVED: "green",
    LetterStatus.SENT: "green",
    LetterStatus.WITHDRAWN: "orange",
    LetterStatus.SUPERSEDED: "grey",
}


NUMERIC = {"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}


def status_tag(letter: AnnualLetter) -> str:
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        TAG_COLOURS.get(letter.status, "grey"),
        letter.get_status_display(),
    )


class ReviewYearTable(tables.Table):
    caption = "Review years"
    caption_hidden = True  # the page's heading says it
    label = tables.LinkColumn(
        "reviews:year-detail",
        args=[tables.A("label")],
        verbose_name="Review year",
        attrs={"a": {"class": "govuk-link"}},
    )
    status = tables.Column(empty_values=(), orderable=False, verbose_name="Status")
    letters_total = tables.Column(verbose_name="Letters", attrs=NUMERIC)
    letters_failed = tables.Column(verbose_name="Failed", attrs=NUMERIC)
    letters_approved = tables.Column(verbose_name="Approved, not sent", attrs=NUMERIC)  # as on the year's page
    letters_sent = tables.Column(verbose_name="Sent", attrs=NUMERIC)
    publication_date = tables.Column(verbose_name="Publication")

    class Meta:
        model = ReviewYear
        fields = ["label", "status", "letters_total", "letters_failed", "letters_approved", "letters_sent"]
        sequence = [*fields, "publication_date"]
        orderable = False
        empty_text = "There are no review years yet. Create one to start."

    def render_publication_date(self, value):
        return short_date(value)

    def render_status(self, record):
        status = year_status(record)
        return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', status.tag, status.text)


class LetterTable(tables.Table):
    caption = "Letters"  # the view names the year
    caption_hidden = True  # the page's heading says it
    council = tables.Column(verbose_name="Council", order_by=("council__sort_name",))
    status = tables.Column(verbose_name="Status")
    version = tables.Column(verbose_name="Version", attrs=NUMERIC)
    actions = tables.Column(empty_values=(), orderable=False, verbose_name="Letter")

    class Meta:
        model = AnnualLetter
        fields = ["council", "status", "version"]
        empty_text = "No letters yet. Run the review to make one for every council active in the year."

    def __init__(self, *args, out_of_date=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.out_of_date = out_of_date

    def render_council(self, record):
        return record.council.formal_name

    def render_status(self, record):
        tag = status_tag(record)
        if record.pk in self.out_of_date:
            tag = format_html('{} <strong class="govuk-tag govuk-tag--yellow">Out of date</strong>', tag)
        return tag

    def render_actions(self, record):
        label = record.review_year.label
        links = [
            format_html(
                '<a class="govuk-link" href="{}">Preview<span class="govuk-visually-hidden"> letter to {}</span></a>',
                reverse("reviews:letter-preview", args=[label, record.pk]),
                record.council.formal_name,
            )
        ]
        if record.has_pdf:
            links.append(
                format_html(
                    '<a class="govuk-link" href="{}">PDF<span class="govuk-visually-hidden"> of letter to {}</span></a>',
                    reverse("reviews:letter-pdf", args=[label, record.pk]),
                    record.council.formal_name,
                )
            )
        return format_html(" | ".join(["{}"] * len(links)), *links)


def grouped(value) -> str:
    return f"{value:,}"


NO_FIGURE = mark_safe('<span aria-hidden="true">–</span><span class="govuk-visually-hidden">No figure</span>')


class FigureColumn(tables.Column):
    """A figure from the letter's snapshot, annotated as a number so it sorts."""

    def __init__(self, *args, formatter=percentage, **kwargs):
        super().__init__(*args, attrs=NUMERIC, default=NO_FIGURE, **kwargs)
        self.formatter = formatter

    def render(self, value):
        return self.formatter(value)


OVERVIEW_COLUMNS = ["dealt_with", "not_for_us", "assessed_closed", "investigations"]


class LetterListTable(tables.Table):
    """The managers' letters page: every live letter of a year with its headline figures (and,
    from 2024-25, the complaint overview's four counts)."""

    caption = "Letters"  # the view names the year
    caption_hidden = True  # the page's heading says it

    council = tables.Column(verbose_name="Council", order_by=("council__sort_name",))
    authority_type = tables.Column(
        accessor="council__authority_type",
        verbose_name="Type",
        order_by=("council__authority_type", "council__sort_name"),
    )
    dealt_with = FigureColumn(verbose_name="Dealt with", formatter=grouped)
    not_for_us = FigureColumn(verbose_name="Not for us", formatter=grouped)
    assessed_closed = FigureColumn(verbose_name="Assessed and closed", formatter=grouped)
    investigations = FigureColumn(verbose_name="Investigated", formatter=grouped)
    uphold_rate = FigureColumn(verbose_name="Upheld")
    compliance_rate = FigureColumn(verbose_name="Compliance")
    satisfactory_rate = FigureColumn(verbose_name="Satisfactory remedy")
    upheld_per_100k = FigureColumn(verbose_name="Upheld per 100,000", formatter=per_100k_in_table)
    status = tables.Column(verbose_name="Status", order_by=("status", "council__sort_name"))
    out_of_date = tables.Column(empty_values=(), orderable=False, verbose_name="Figures")
    approved_at = tables.Column(verbose_name="Approved", order_by=("approved_at", "council__sort_name"), default="")
    sent_at = tables.Column(verbose_name="Sent", default="")  # not DateTimeColumn: a template per cell
    select = tables.Column(
        empty_values=(), orderable=False, verbose_name="Select", attrs={"th": {"class": "app-nowrap"}}
    )

    class Meta:
        model = AnnualLetter
        fields: list[str] = []
        sequence = [
            "council",
            "authority_type",
            *OVERVIEW_COLUMNS,
            "uphold_rate",
            "compliance_rate",
            "satisfactory_rate",
            "upheld_per_100k",
            "status",
            "out_of_date",
            "approved_at",
            "sent_at",
            "select",
        ]
        attrs = {"class": "govuk-table app-table--figures"}
        empty_text = "No letters match these filters. Change or clear the filters to see more."

    def __init__(self, *args, out_of_date=frozenset(), per_100k=True, overview=True, **kwargs):
        kwargs["exclude"] = [
            *([] if per_100k else ["upheld_per_100k"]),
            *([] if overview else OVERVIEW_COLUMNS),
        ]
        super().__init__(*args, **kwargs)
        self.out_of_date = out_of_date

    def render_council(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("reviews:letter-detail", args=[record.review_year.label, record.pk]),
            record.council.formal_name,
        )

    def render_authority_type(self, record):
        return record.council.get_authority_type_display()

    def render_status(self, record):
        return status_tag(record)

    def render_out_of_date(self, record):
        if record.pk in self.out_of_date:
            return mark_safe('<strong class="govuk-tag govuk-tag--yellow">Out of date</strong>')
        return mark_safe('<span class="app-secondary">Up to date</span>')

    def render_approved_at(self, record, value):
        who = str(record.approved_by) if record.approved_by_id else "A former user"
        return format_html("{}<br>{}", who, short_date(timezone.localtime(value)))

    def render_sent_at(self, value):
        return short_date(timezone.localtime(value))

    def render_select(self, record):
        if record.status != LetterStatus.READY:
            return ""
        return format_html(
            '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
            '<div class="govuk-checkboxes__item">'
            '<input class="govuk-checkboxes__input" id="select-{pk}" name="letters" type="checkbox" value="{pk}">'
            '<label class="govuk-label govuk-checkboxes__label" for="select-{pk}">'
            '<span class="govuk-visually-hidden">Select the letter to {name} for approval</span></label>'
            "</div></div>",
            pk=record.pk,
            name=record.council.formal_name,
        )
