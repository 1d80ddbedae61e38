"""What the casework forms share: the date hint, a fast select, the council and pounds fields, a
service's errors shown on a form, and the empty confirmation form.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from councils.models import Council
from ombudsman.forms import GovUKForm

DATE_HINT = "For example, 27 3 2024"


class QuickSelect(forms.Select):
    """A select whose options are built in Python: Django renders each option through a
    template (and builds a dict of attributes for each), which for the 350 councils costs
    more than the rest of a case list page. Same markup as Django's Select: the first option
    whose value matches is selected."""

    def render(self, name, value, attrs=None, renderer=None):
        widget_attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        parts = [format_html('<select name="{}"{}>', name, flatatt(widget_attrs))]
        found = False

        def option(option_value, label) -> str:
            nonlocal found
            option_value = "" if option_value is None else str(option_value)
            is_selected = not found and option_value in selected
            found = found or is_selected
            return f'<option value="{conditional_escape(option_value)}"{" selected" if is_selected else ""}>{conditional_escape(label)}</option>'

        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                parts.append(format_html('<optgroup label="{}">', group_value))
                parts.extend(option(sub_value, sub_label) for sub_value, sub_label in group_label)
                parts.append("</optgroup>")
            else:
                parts.append(option(group_value, group_label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has
    that field, otherwise in the error summary."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def without_blank(field: forms.ChoiceField) -> None:
    """Radios need no "---------" choice."""
    field.choices = [(value, label) for value, label in field.choices if value != ""]


class CouncilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, council: Council) -> str:
        if council.active_to:
            return f"{council.formal_name} (until {council.active_to:%-d %B %Y})"
        return council.formal_name


class PoundsField(forms.DecimalField):
    """An amount in pounds; accepts "£1,250.50"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").strip()
        return super().to_python(value)


class ConfirmForm(GovUKForm):
    """A POST with nothing but the CSRF token."""
