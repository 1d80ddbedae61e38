"""Forms of a decision: the decision itself, its recommendations and their compliance."""

from django import forms

from complaints.forms.common import DATE_HINT, PoundsField, without_blank
from complaints.models import (
    ComplianceOutcome,
    Decision,
    Outcome,
    Recommendation,
)
from ombudsman.forms import GovUKDateField, GovUKModelForm

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
