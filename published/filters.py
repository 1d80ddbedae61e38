"""The national page's filters (django-filter)."""

import django_filters
from django.db.models import Q

from councils.models import AuthorityType
from councils.selectors import region_choices
from ombudsman.forms import GovUKForm
from reviews.models import AnnualLetter
from reviews.selectors import published_years


def year_choices() -> list[tuple[str, str]]:
    return [(label, label) for label in published_years().values_list("label", flat=True)]


class PublishedCouncilFilter(django_filters.FilterSet):
    """The year is chosen by the view (it decides which letters are in the queryset); it sits in
    this form so that one "Apply" button changes everything."""

    year = django_filters.ChoiceFilter(label="Review year", choices=year_choices, method="keep", empty_label=None)
    q = django_filters.CharFilter(label="Council name or code", method="filter_text")
    authority_type = django_filters.ChoiceFilter(
        field_name="council__authority_type", label="Type", choices=AuthorityType.choices, empty_label="All types"
    )
    region = django_filters.ChoiceFilter(
        field_name="council__region", label="Region", choices=region_choices, empty_label="All regions"
    )

    class Meta:
        model = AnnualLetter
        fields = ["year", "q", "authority_type", "region"]
        form = GovUKForm

    def keep(self, queryset, name, value):
        return queryset

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(council__name__icontains=value)
            | Q(council__formal_name__icontains=value)
            | Q(council__gss_code__iexact=value)
        )
