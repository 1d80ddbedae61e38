"""Filters for the case list (and its CSV export) and the remedy monitoring queue."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from complaints import case_page, selectors
from complaints.forms import QuickSelect
from complaints.models import Outcome, Status
from councils.models import AuthorityType, Council
from councils.selectors import review_year_choices
from ombudsman.forms import GovUKForm
from ombudsman.periods import ReviewPeriod

NO_DECISION = "none"
UNASSIGNED = "none"


def category_choices() -> list:
    """Grouped for a select: each top-level category, then its sub-categories."""
    choices = []
    for top, subs in selectors.category_groups():
        choices.append((top.name, [(str(top.pk), f"All of {top.name}"), *((str(sub.pk), sub.name) for sub in subs)]))
    return choices


def caseworker_choices() -> list:
    return [(UNASSIGNED, "Unassigned"), *((str(user.pk), str(user)) for user in selectors.caseworkers())]


def council_queryset(request):
    # Only what the options show (str() is the formal name, else the name): 350 rows a page.
    return Council.objects.only("pk", "name", "formal_name").order_by("sort_name")


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Reference or complainant name",
        method="filter_text",
        help_text="For example 19 012 345, or part of a name",
    )
    council = django_filters.ModelChoiceFilter(
        queryset=council_queryset, empty_label="All councils", widget=QuickSelect
    )
    authority_type = django_filters.ChoiceFilter(
        label="Type of council",
        field_name="council__authority_type",
        choices=AuthorityType.choices,
        empty_label="All types",
    )
    category = django_filters.ChoiceFilter(
        label="Category",
        choices=category_choices,
        method="filter_category",
        empty_label="All categories",
        widget=QuickSelect,
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status",
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a field of the case itself: no join, no duplicates to remove
    )
    outcome = django_filters.ChoiceFilter(
        label="Decision",
        choices=[(NO_DECISION, "No decision yet"), *Outcome.choices],
        empty_label="Any decision",
    )
    decision_year = django_filters.ChoiceFilter(
        label="Decided in review year",
        choices=review_year_choices,
        empty_label="Any year",
        help_text="1 April to 31 March",
    )
    assigned_to = django_filters.ChoiceFilter(
        label="Caseworker", choices=caseworker_choices, method="filter_assigned_to", empty_label="Anyone"
    )
    overdue = django_filters.BooleanFilter(
        label="Only cases with overdue remedies", widget=forms.CheckboxInput, method="filter_overdue"
    )

    class Meta:
        form = GovUKForm
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filters of the apps above (complaints.case_page), after the list's own.
        self.registered = []
        for list_filter in case_page.list_filters():
            self.filters[list_filter.name] = made = list_filter.make()
            made.model, made.parent = self.queryset.model, self
            self.registered.append(list_filter.name)

    def registered_fields(self) -> list:
        """The registered filters' fields, for the template (which cannot name them)."""
        return [self.form[name] for name in self.registered]

    def filter_text(self, queryset, name, value):
        return selectors.complaints_search(queryset, value)

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(category_id=value) | Q(subcategory_id=value))

    def filter_queryset(self, queryset):
        # Outcome and review year both ask about the current decision: one EXISTS answers both
        # (two would make PostgreSQL join the decisions twice).
        values = dict(self.form.cleaned_data)
        outcome, year = values.pop("outcome", None), values.pop("decision_year", None)
        if outcome or year:
            queryset = selectors.complaints_by_decision(
                queryset,
                outcome=None if outcome == NO_DECISION else outcome or None,
                period=ReviewPeriod.from_label(year) if year else None,
                undecided=outcome == NO_DECISION,
            )
        for name, value in values.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_assigned_to(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(assigned_to__isnull=True)
        return queryset.filter(assigned_to_id=value)

    def filter_overdue(self, queryset, name, value):
        return selectors.complaints_overdue(queryset) if value else queryset


class MyCaseFilter(CaseFilter):
    """The case list filters without the caseworker (it is the signed-in user)."""

    assigned_to = None


class RemedyQueueFilter(django_filters.FilterSet):
    council = django_filters.ModelChoiceFilter(
        label="Council",
        field_name="decision__complaint__council",
        queryset=council_queryset,
        empty_label="All councils",
    )
    when = django_filters.ChoiceFilter(
        label="Due",
        choices=[("overdue", "Overdue"), ("soon", f"Due in the next {selectors.DUE_SOON_DAYS} days")],
        method="filter_when",
        empty_label="Overdue or due soon",
    )
    assigned_to = django_filters.ChoiceFilter(
        label="Caseworker", choices=caseworker_choices, method="filter_assigned_to", empty_label="Anyone"
    )

    class Meta:
        form = GovUKForm
        fields: list[str] = []

    def filter_when(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(due_on__lt=today) if value == "overdue" else queryset.filter(due_on__gte=today)

    def filter_assigned_to(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(decision__complaint__assigned_to__isnull=True)
        return queryset.filter(decision__complaint__assigned_to_id=value)
