"""The national page's table of councils (django-tables2)."""

import django_tables2 as tables
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html

from ombudsman.formatting import per_100k_in_table, percentage
from reviews.models import AnnualLetter
from reviews.statistics.figures import rests_on_few_cases
from reviews.templatetags.letter_tags import few_cases_tag

NUMERIC = {"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}


class NullsLastColumn(tables.Column):
    """A figure column that sorts councils with no figure last, whichever the direction."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMERIC)
        kwargs.setdefault("default", "–")
        super().__init__(*args, **kwargs)

    def order(self, queryset, is_descending):
        field = F(self.accessor)
        ordering = field.desc(nulls_last=True) if is_descending else field.asc(nulls_last=True)
        return queryset.order_by(ordering, "council__sort_name"), True


class PercentageColumn(NullsLastColumn):
    """A rate, flagged when it rests on fewer than FEW_CASES cases (`cases`: the row's count of them)."""

    def __init__(self, *args, cases: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = cases

    def render(self, value, record):
        if rests_on_few_cases(getattr(record, self.cases, None)):
            return format_html("{} {}", percentage(value), few_cases_tag())
        return percentage(value)


class Per100kColumn(NullsLastColumn):
    def render(self, value):
        return per_100k_in_table(value)


class PublishedCouncilTable(tables.Table):
    caption = "Every council"
    caption_hidden = True  # the page's heading says it
    council = tables.Column(accessor="council__name", verbose_name="Council", order_by=("council__sort_name",))
    authority_type = tables.Column(accessor="council__authority_type", verbose_name="Type")
    region = tables.Column(accessor="council__region", verbose_name="Region", default="–")
    investigations = NullsLastColumn(verbose_name="Investigations")
    uphold_rate = PercentageColumn(verbose_name="Upheld", cases="investigations")
    upheld_per_100k = Per100kColumn(verbose_name="Upheld per 100,000")
    compliance_rate = PercentageColumn(verbose_name="Compliance", cases="compliance_outcomes")
    satisfactory_rate = PercentageColumn(verbose_name="Satisfactory remedy", cases="upheld")

    class Meta:
        model = AnnualLetter
        fields = []
        sequence = [
            "council",
            "authority_type",
            "region",
            "investigations",
            "uphold_rate",
            "upheld_per_100k",
            "compliance_rate",
            "satisfactory_rate",
        ]
        attrs = {"class": "govuk-table app-table--figures"}
        empty_text = "No councils match these filters. Clear the filters to see every council."

    def render_council(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("published:council", args=[record.council.gss_code]),
            record.council.formal_name,
        )

    def render_authority_type(self, record):
        return record.council.get_authority_type_display()
