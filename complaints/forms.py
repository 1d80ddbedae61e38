"""Casework forms (GOV.UK patterns). Input and presentation only: the rules are the models'
`clean()` (which ModelForm validation runs) and the services' state checks."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from complaints import importing, selectors
from complaints.importing import MAX_UPLOAD_BYTES
from complaints.models import (
    PRE_DECISION_STATUSES,
    Category,
    Complaint,
    ComplianceOutcome,
    Decision,
    Outcome,
    Recommendation,
)
from complaints.services.cases import COMPLAINT_EDITABLE
from councils.models import Council
from ombudsman.auth import EMAIL_FORMAT
from ombudsman.forms import GovUKDateField, GovUKForm, GovUKModelForm

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


def subcategory_choices() -> list:
    choices: list = [("", "None")]
    for top, subs in selectors.category_groups(active_only=True):
        if subs:
            choices.append((top.name, [(sub.pk, sub.name) for sub in subs]))
    return choices


class ComplaintForm(GovUKModelForm):
    council = CouncilChoiceField(
        queryset=Council.objects.order_by("sort_name"),
        widget=QuickSelect,
        empty_label="Choose a council",
        error_messages={"required": "Choose the council the complaint is about"},
    )
    received_on = GovUKDateField(
        label="Date received",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date the complaint was received"},
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(parent__isnull=True, is_active=True).order_by("position", "name"),
        empty_label="Choose a category",
        error_messages={"required": "Choose the service the complaint is about"},
    )
    subcategory = forms.ModelChoiceField(
        queryset=Category.objects.filter(parent__isnull=False, is_active=True),
        required=False,
        label="Sub-category (optional)",
        help_text="It must belong to the category above",
    )

    class Meta:
        model = Complaint
        fields = list(COMPLAINT_EDITABLE)  # the fields complaint_update accepts, in the form's order
        labels = {
            "complainant_name": "Complainant's full name (optional)",
            "complainant_email": "Complainant's email address (optional)",
            "complainant_phone": "Complainant's phone number (optional)",
            "complainant_address": "Complainant's postal address (optional)",
            "summary": "Summary of the complaint (optional)",
        }
        help_texts = {"summary": "What the complainant says went wrong and what they want the council to do"}
        widgets = {
            "complainant_name": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "complainant_email": forms.EmailInput(
                attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-!-width-two-thirds"}
            ),
            "complainant_phone": forms.TextInput(
                attrs={"type": "tel", "autocomplete": "off", "class": "govuk-input--width-20"}
            ),
            "complainant_address": forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
            "summary": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "complainant_email": {"invalid": EMAIL_FORMAT},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subcategory"].choices = subcategory_choices()
        if self.instance.pk:
            # Old cases keep categories that are no longer offered for new ones.
            self.fields["category"].queryset = Category.objects.filter(parent__isnull=True)
            self.fields["subcategory"].queryset = Category.objects.filter(parent__isnull=False)


class ComplaintCreateForm(ComplaintForm):
    assigned_to = forms.ModelChoiceField(
        queryset=None, required=False, label="Caseworker (optional)", empty_label="Nobody yet"
    )

    class Meta(ComplaintForm.Meta):
        fields = [*ComplaintForm.Meta.fields, "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = selectors.caseworkers()


class ComplaintEditForm(ComplaintForm):
    status = forms.ChoiceField(
        label="Stage",
        choices=[(status.value, status.label) for status in PRE_DECISION_STATUSES],
        widget=forms.RadioSelect,
        help_text="After a decision the stage follows the decision and compliance",
        error_messages={"required": "Choose the stage the case has reached"},
    )

    class Meta(ComplaintForm.Meta):
        fields = [*ComplaintForm.Meta.fields, "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.status not in PRE_DECISION_STATUSES:
            del self.fields["status"]


class AssignForm(GovUKForm):
    assigned_to = forms.ModelChoiceField(
        queryset=None, required=False, label="Caseworker", empty_label="Nobody (unassigned)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = selectors.caseworkers()


OUTCOME_HINTS = {
    Outcome.ADVICE_GIVEN: "Not investigated: the complainant was given advice",
    Outcome.INCOMPLETE_INVALID: "Not investigated: the complaint was incomplete or not one we can look at",
    Outcome.REFERRED_BACK: "Not investigated: the council had not had the chance to respond",
    Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES: "Assessed and closed without an investigation",
    Outcome.NOT_UPHELD: "Investigated: no fault found",
    Outcome.UPHELD: "Investigated: fault found",
}


class DecisionRecordForm(GovUKModelForm):
    decided_on = GovUKDateField(
        label="Decision date", help_text=DATE_HINT, error_messages={"required": "Enter the decision date"}
    )

    class Meta:
        model = Decision
        fields = ["decided_on", "outcome", "upheld_kind", "form", "summary"]
        labels = {
            "outcome": "Outcome",
            "upheld_kind": "What did the investigation find?",
            "form": "Form of the decision",
            "summary": "Decision summary (optional)",
        }
        widgets = {
            "outcome": forms.RadioSelect,
            "upheld_kind": forms.RadioSelect,
            "form": forms.RadioSelect(attrs={"data_inline": True}),
            "summary": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "outcome": {"required": "Choose the outcome of the decision"},
            "form": {"required": "Choose whether the decision is a statement of reasons or a report"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("outcome", "upheld_kind", "form"):
            without_blank(self.fields[name])

    def clean(self):
        cleaned = super().clean()
        # The kind is asked inside the "Upheld" choice; an answer left there after choosing
        # another outcome is not part of the decision (GOV.UK conditional reveal).
        if cleaned.get("outcome") != Outcome.UPHELD:
            cleaned["upheld_kind"] = ""
        return cleaned

    def outcome_options(self):
        """The outcome radios with their hints, for the template's conditional reveal."""
        return [(option, OUTCOME_HINTS.get(option.data["value"], "")) for option in self["outcome"]]


class RecommendationForm(GovUKModelForm):
    amount = PoundsField(
        label="Amount in pounds (financial redress only)",
        required=False,
        max_digits=10,
        decimal_places=2,
        help_text="For example, 250.00. Leave empty for other types of recommendation",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the amount in pounds and pence, for example 250.00",
            "max_decimal_places": "Enter the amount in pounds and pence, with no more than 2 numbers after the point",
            "max_digits": "The amount must be less than £100,000,000",
            "max_whole_digits": "The amount must be less than £100,000,000",
        },
    )
    due_on = GovUKDateField(
        label="Due date",
        help_text="When the council must have done this. " + DATE_HINT,
        error_messages={"required": "Enter the date the council must do this by"},
    )

    class Meta:
        model = Recommendation
        fields = ["type", "remedy_kind", "description", "amount", "due_on"]
        labels = {
            "type": "Type of recommendation",
            "remedy_kind": "Who does it benefit?",
            "description": "What the council must do",
        }
        widgets = {
            "type": forms.RadioSelect,
            "remedy_kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "type": {"required": "Choose the type of recommendation"},
            "remedy_kind": {"required": "Choose whether this is a personal remedy or a service improvement"},
            "description": {"required": "Describe what the council must do"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_blank(self.fields["type"])
        without_blank(self.fields["remedy_kind"])
        self.fields["remedy_kind"].help_text = (
            "A personal remedy puts things right for the complainant; "
            "a service improvement changes how the council works for everyone"
        )


class ComplianceForm(GovUKModelForm):
    recorded_on = GovUKDateField(
        label="Date recorded",
        help_text="The date we were satisfied the council had (or had not) done what we recommended. " + DATE_HINT,
        error_messages={"required": "Enter the date the compliance outcome was recorded"},
    )

    class Meta:
        model = ComplianceOutcome
        fields = ["outcome", "recorded_on", "note"]
        labels = {"outcome": "Did the council carry out the recommendations?", "note": "Note (optional)"}
        widgets = {"outcome": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"outcome": {"required": "Choose whether the council complied, complied late or did not"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_blank(self.fields["outcome"])
        self.fields["outcome"].help_text = "Late compliance still counts as compliance in the annual statistics"


class RecommendationComplianceForm(GovUKModelForm):
    """One recommendation's compliance outcome; the view gives it a copy of the recommendation
    (a ModelForm writes the cleaned values onto its instance, and the page reads the original)."""

    compliance_recorded_on = GovUKDateField(
        label="Date recorded",
        help_text="The date we were satisfied the council had (or had not) done this. " + DATE_HINT,
        error_messages={"required": "Enter the date the compliance outcome was recorded"},
    )
    # The queue's "Record outcome" link says so, and success returns there.
    back_to = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Recommendation
        fields = ["compliance_outcome", "compliance_recorded_on", "evidence_note"]
        labels = {
            "compliance_outcome": "Did the council carry out this recommendation?",
            "evidence_note": "Evidence (optional)",
        }
        help_texts = {"evidence_note": "What showed us it was done or not done, for example a copy of the letter"}
        widgets = {"compliance_outcome": forms.RadioSelect, "evidence_note": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "compliance_outcome": {"required": "Choose whether the council complied, complied late or did not"}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compliance_outcome"].required = True
        without_blank(self.fields["compliance_outcome"])
        self.fields[
            "compliance_outcome"
        ].help_text = (
            "When every recommendation has an outcome, the case's outcome is worked out from them and the case closes"
        )


class CaseReopenForm(GovUKForm):
    reason = forms.CharField(
        label="Why does the case need correcting?",
        help_text="This is kept in the case's history with the change, for example "
        "“The council sent evidence that the payment was made late, not on time”",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why the case is being reopened",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )


class ConfirmForm(GovUKForm):
    """A POST with nothing but the CSRF token."""


class PersonalExportForm(GovUKForm):
    reason = forms.CharField(
        label="Why do you need complainants' names and contact details?",
        help_text="For example, to write to every complainant about a council's change of address. "
        "Your reason is kept in the export log with your name and the filters.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you need complainants' names and contact details"},
    )


class CouncilRadioField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def label_from_instance(self, council: Council) -> str:
        return council.formal_name


class TransferForm(GovUKForm):
    """Cases of an abolished council split between successors, and the successor that takes them."""

    cases = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Cases to transfer",
        error_messages={
            "required": "Choose the cases to transfer",
            "invalid_choice": "A case you chose is no longer open here: choose from the list again",
            "invalid_pk_value": "A case you chose is no longer open here: choose from the list again",
        },
    )
    successor = CouncilRadioField(
        queryset=None,
        empty_label=None,
        label="Transfer the chosen cases to",
        error_messages={
            "required": "Choose the council that takes the cases",
            "invalid_choice": "Choose one of the successors",
        },
    )

    def __init__(self, *args, cases, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["successor"].queryset = successors


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


class DecisionsUploadForm(GovUKForm):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A CSV file saved as CSV UTF-8, smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
        error_messages={"required": "Select a CSV file of decisions", "empty": "The selected file is empty"},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(importing.TOO_LARGE)
        data = upload.read()
        problem = importing.upload_problem(data)
        if problem:
            raise ValidationError(problem)
        self.data_bytes = data
        return upload
