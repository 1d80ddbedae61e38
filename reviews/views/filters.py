"""Filters of the managers' letters page."""

import django_filters
from django import forms

from councils.models import AuthorityType
from ombudsman.forms import GovUKForm
from reviews.models import AnnualLetter, LetterStatus

YES, NO = "yes", "no"
LIVE_STATUSES = [(value, label) for value, label in LetterStatus.choices if value not in AnnualLetter.NOT_LIVE_STATUSES]


class LetterFilter(django_filters.FilterSet):
    council = django_filters.CharFilter(
        label="Council name", field_name="council__formal_name", lookup_expr="icontains", help_text="Or part of it"
    )
    authority_type = django_filters.ChoiceFilter(
        label="Type of council",
        field_name="council__authority_type",
        choices=AuthorityType.choices,
        empty_label="All types",
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status",
        choices=LIVE_STATUSES,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a field of the letter itself
    )
    out_of_date = django_filters.ChoiceFilter(
        label="Figures",
        choices=[(YES, "Out of date"), (NO, "Up to date")],
        method="filter_out_of_date",
        empty_label="Up to date or not",
    )
    paragraph = django_filters.ChoiceFilter(
        label="Council paragraph",
        choices=[(YES, "With a council paragraph"), (NO, "Without one")],
        method="filter_paragraph",
        empty_label="With or without",
    )

    class Meta:
        form = GovUKForm
        fields: list[str] = []

    def __init__(self, *args, out_of_date_ids=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.out_of_date_ids = out_of_date_ids

    def filter_out_of_date(self, queryset, name, value):
        if value == YES:
            return queryset.filter(pk__in=self.out_of_date_ids)
        return queryset.exclude(pk__in=self.out_of_date_ids)

    def filter_paragraph(self, queryset, name, value):
        if value == YES:
            return queryset.exclude(snapshot__paragraph="")
        return queryset.filter(snapshot__paragraph="")
