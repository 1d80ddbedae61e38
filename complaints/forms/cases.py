"""Forms of a case: creating and editing a complaint, assigning it, reopening it for a
correction, and exporting with personal data.
"""

from django import forms

from complaints import selectors
from complaints.forms.common import DATE_HINT, CouncilChoiceField, QuickSelect
from complaints.models import (
    PRE_DECISION_STATUSES,
    Category,
    Complaint,
)
from complaints.services.cases import COMPLAINT_EDITABLE
from councils.models import Council
from ombudsman.auth import EMAIL_FORMAT
from ombudsman.forms import GovUKDateField, GovUKForm, GovUKModelForm


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


class PersonalExportForm(GovUKForm):
    reason = forms.CharField(
        label="Why do you need complainants' names and contact details?",
        help_text="For example, to write to every complainant about a council's change of address. "
        "Your reason is kept in the export log with your name and the filters.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you need complainants' names and contact details"},
    )
