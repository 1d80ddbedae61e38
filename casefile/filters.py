"""The case list's filters on the case file, registered with complaints.case_page: each an EXISTS
on the case file's rows, so a case is listed once and the list never needs DISTINCT."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from casefile.correspondence.models import Correspondence
from casefile.models import Document


def complaints_with_documents(queryset):
    """Cases with at least one document whose file is kept (not deleted)."""
    return queryset.filter(Exists(Document.objects.kept().filter(complaint=OuterRef("pk"))))


def complaints_awaiting_council_response(queryset):
    """Cases with an enquiry sent to the council that no recorded response answers yet."""
    return queryset.filter(
        Exists(Correspondence.objects.enquiries_awaiting_response().filter(complaint=OuterRef("pk")))
    )


def _only_when_ticked(select):
    return lambda queryset, name, value: select(queryset) if value else queryset


def has_documents_filter() -> django_filters.Filter:
    return django_filters.BooleanFilter(
        label="Only cases with documents",
        widget=forms.CheckboxInput,
        method=_only_when_ticked(complaints_with_documents),
    )


def awaiting_council_response_filter() -> django_filters.Filter:
    return django_filters.BooleanFilter(
        label="Only cases awaiting the council's response",
        help_text="An enquiry was sent to the council and no response is recorded yet",
        widget=forms.CheckboxInput,
        method=_only_when_ticked(complaints_awaiting_council_response),
    )
