"""Adding and editing categories."""

from django import forms

from ombudsman.forms import GovUKForm


class CategoryForm(GovUKForm):
    name = forms.CharField(
        label="Name",
        max_length=120,
        error_messages={
            "required": "Enter the category's name",
            "max_length": "The name must be 120 characters or fewer",
        },
    )


class CategoryEditForm(CategoryForm):
    position = forms.IntegerField(
        label="Position in lists",
        min_value=0,
        max_value=32767,
        help_text="Lower numbers come first",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter a position, for example 0",
            "invalid": "The position must be a whole number, for example 3",
            "min_value": "The position must be 0 or more",
            "max_value": "The position must be 32767 or less",
        },
    )
    is_active = forms.BooleanField(
        label="Offer this category for new complaints",
        required=False,
        help_text="Untick to retire it: old cases keep it, new ones cannot choose it",
    )
