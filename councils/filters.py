import django_filters
from django.db.models import Q

from councils.models import AuthorityType, Council
from councils.selectors import region_choices, review_year_choices
from ombudsman.forms import GovUKForm
from ombudsman.periods import ReviewPeriod


class CouncilFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or code", method="filter_text")
    authority_type = django_filters.ChoiceFilter(label="Type", choices=AuthorityType.choices, empty_label="All types")
    region = django_filters.ChoiceFilter(label="Region", choices=region_choices, empty_label="All regions")
    active_in = django_filters.ChoiceFilter(
        label="Active in review year", choices=review_year_choices, method="filter_active_in", empty_label="Any year"
    )

    class Meta:
        model = Council
        fields = ["q", "authority_type", "region", "active_in"]
        form = GovUKForm

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(formal_name__icontains=value) | Q(gss_code__iexact=value))

    def filter_active_in(self, queryset, name, value):
        return queryset.active_in(ReviewPeriod.from_label(value))
