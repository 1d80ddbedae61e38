"""GOV.UK Frontend form rendering on Django's own form renderer.

Every form in the product inherits GovUKForm or GovUKModelForm: fields render as GOV.UK
form groups (label, hint, error message, input with the error modifier), radios, checkboxes
and dates are wrapped in a fieldset with a legend, and `error_anchor` gives the id the error
summary links to. We chose Django's renderer over crispy-forms-gds: Django 5.2's
bound_field_class and field templates cover the patterns with no extra layer.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

FIELDSET_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class GovUKFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


def _css_class(widget: forms.Widget, has_error: bool) -> str:
    # CheckboxSelectMultiple subclasses RadioSelect, so it is tested first here and below.
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return "govuk-checkboxes__input"
    if isinstance(widget, forms.RadioSelect):
        return "govuk-radios__input"
    if isinstance(widget, forms.Select):
        return "govuk-select" + (" govuk-select--error" if has_error else "")
    if isinstance(widget, forms.Textarea):
        return "govuk-textarea" + (" govuk-textarea--error" if has_error else "")
    if isinstance(widget, forms.FileInput):
        return "govuk-file-upload" + (" govuk-file-upload--error" if has_error else "")
    if isinstance(widget, GovUKDateWidget):
        return ""
    return "govuk-input" + (" govuk-input--error" if has_error else "")


class GovUKBoundField(BoundField):
    @property
    def is_fieldset(self) -> bool:
        return isinstance(self.field.widget, (*FIELDSET_WIDGETS, GovUKDateWidget))

    @property
    def kind(self) -> str:
        widget = self.field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            return "checkboxes"
        if isinstance(widget, forms.RadioSelect):
            return "radios"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if isinstance(widget, GovUKDateWidget):
            return "date"
        return "input"

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def described_by(self) -> str:
        ids = []
        if self.help_text:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def error_anchor(self) -> str:
        """The id of the first input of this field, for the error summary link."""
        if isinstance(self.field.widget, GovUKDateWidget):
            return f"{self.auto_id}_day"
        if self.is_fieldset:
            return f"{self.auto_id}_0"
        return self.auto_id

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        attrs.pop("aria-describedby", None)
        if self.described_by and not self.is_fieldset:
            attrs["aria-describedby"] = self.described_by
        css = _css_class(widget, bool(self.errors))
        extra = widget.attrs.get("class", "")
        attrs["class"] = " ".join(part for part in (css, extra) if part)
        if isinstance(widget, GovUKDateWidget):
            attrs["has_error"] = bool(self.errors)
        return attrs


class GovUKFormMixin:
    bound_field_class = GovUKBoundField
    template_name_div = "govuk/forms/form.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.template_name = "govuk/widgets/checkboxes.html"
            elif isinstance(field.widget, forms.RadioSelect):
                field.widget.template_name = "govuk/widgets/radios.html"


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass


class GovUKDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric", "spellcheck": "false"}
        super().__init__(
            widgets={
                "day": forms.TextInput(
                    attrs={**numeric, "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
                ),
                "month": forms.TextInput(
                    attrs={**numeric, "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
                ),
                "year": forms.TextInput(
                    attrs={**numeric, "class": "govuk-input govuk-date-input__input govuk-input--width-4"}
                ),
            },
            attrs=attrs,
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = super().value_from_datadict(data, files, name)
        return {"day": (day or "").strip(), "month": (month or "").strip(), "year": (year or "").strip()}

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}_{part}" not in data for part in ("day", "month", "year"))

    def get_context(self, name, value, attrs):
        has_error = (attrs or {}).pop("has_error", False)
        if isinstance(value, dict):
            value = [value.get("day"), value.get("month"), value.get("year")]
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id")
        parts = zip(
            ("Day", "Month", "Year"), self.widgets_names, self.widgets, context["widget"]["subwidgets"], strict=True
        )
        for label, suffix, widget, subwidget in parts:
            subwidget["label"] = label
            # Django numbers sub-widget ids (_0, _1, _2) and lets the field's class replace each
            # input's: use id_x_day (what error_anchor links to) and the GOV.UK input classes.
            if base_id:
                subwidget["attrs"]["id"] = f"{base_id}{suffix}"
            subwidget["attrs"]["class"] = widget.attrs["class"] + (" govuk-input--error" if has_error else "")
        return context


class GovUKDateField(forms.DateField):
    """A date from the GOV.UK date input, with the messages the design system recommends."""

    widget = GovUKDateWidget

    def __init__(self, *args, **kwargs):
        given = kwargs.get("error_messages") or {}
        super().__init__(*args, **kwargs)
        if "required" not in given:
            label = self.label[0].lower() + self.label[1:] if self.label else "the date"
            self.error_messages["required"] = f"Enter {label}"

    def to_python(self, value):
        if isinstance(value, datetime.date) or value in self.empty_values:
            return super().to_python(value)
        if isinstance(value, dict):
            parts = {key: value.get(key, "") for key in ("day", "month", "year")}
            if not any(parts.values()):
                return None
            missing = [key for key, part in parts.items() if not part]
            if missing:
                raise ValidationError(
                    f"{self.label or 'The date'} must include a {' and '.join(missing)}", code="incomplete"
                )
            try:
                day, month, year = (int(parts[key]) for key in ("day", "month", "year"))
                if year < 1000:
                    raise ValueError
                return datetime.date(year, month, day)
            except (ValueError, OverflowError):  # int("99999999999999999999") overflows the C int
                raise ValidationError(f"{self.label or 'The date'} must be a real date", code="invalid") from None
        return super().to_python(value)


class OrganisationForm(GovUKModelForm):
    """The organisation profile (ombudsman.organisation): text fields, and a logo read whole and
    checked from its content."""

    logo = forms.FileField(
        label="New logo (optional)",
        required=False,
        help_text="An SVG or PNG file smaller than 512 KB. It is printed at the top left of every letter.",
    )
    remove_logo = forms.BooleanField(label="Use our placeholder mark instead of a logo", required=False)
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="For example https://www.lgo.org.uk",
        error_messages={"invalid": "Enter the website address, starting with https://"},
    )

    class Meta:
        from ombudsman.models import Organisation

        model = Organisation
        fields = ["name", "postal_address", "telephone", "website", "reference_format"]
        labels = {
            "name": "Name of the organisation",
            "postal_address": "Postal address",
            "telephone": "Telephone (optional)",
            "reference_format": "Reference line of letters",
        }
        help_texts = {
            "name": "Shown in the site's header and footer, as the sender of every email and on every letter.",
            "postal_address": "One line of the address per line.",
            "reference_format": "For example AR/{year}/{gss_code}: {year} is the review year, {gss_code} the "
            "council's code and {version} the letter's version.",
        }
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 4, "class": "govuk-!-width-two-thirds"}),
            "telephone": forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "off"}),
            "reference_format": forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
        }
        error_messages = {
            "name": {"required": "Enter the name of the organisation"},
            "postal_address": {"required": "Enter the postal address"},
            "reference_format": {"required": "Enter the reference line, like AR/{year}/{gss_code}"},
        }

    def clean_logo(self):
        from ombudsman.organisation import MAX_LOGO_BYTES, logo_type_of

        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > MAX_LOGO_BYTES:
            raise ValidationError(f"The logo must be smaller than {MAX_LOGO_BYTES // 1024} KB")
        data = upload.read()
        logo_type_of(data)  # ValidationError with the reason
        return data
