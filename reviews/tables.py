import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from reviews.models import AnnualLetter, LetterStatus, ReviewYear
from reviews.selectors import year_status

TAG_COLOURS = {
    LetterStatus.PENDING: "grey",
    LetterStatus.RENDERING: "blue",
    LetterStatus.READY: "turquoise",
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
    label = tables.LinkColumn("reviews:year-detail", args=[tables.A("label")], verbose_name="Review year")
    status = tables.Column(empty_values=(), orderable=False, verbose_name="Status")
    letters_total = tables.Column(verbose_name="Letters", attrs=NUMERIC)
    letters_failed = tables.Column(verbose_name="Failed", attrs=NUMERIC)
    letters_approved = tables.Column(verbose_name="Approved", attrs=NUMERIC)
    letters_sent = tables.Column(verbose_name="Sent", attrs=NUMERIC)
    publication_date = tables.DateColumn(verbose_name="Publication", format="j M Y")

    class Meta:
        model = ReviewYear
        fields = ["label", "status", "letters_total", "letters_failed", "letters_approved", "letters_sent"]
        sequence = [*fields, "publication_date"]
        orderable = False
        empty_text = "There are no review years yet. Create one to start."

    def render_status(self, record):
        status = year_status(record)
        return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', status.tag, status.text)


class LetterTable(tables.Table):
    council = tables.Column(verbose_name="Council", order_by=("council__name",))
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
