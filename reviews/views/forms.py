"""Forms of the managers' review pages: a year's settings, the council paragraph and the letter
actions. Each letter action carries `seen`: what the manager was looking at
(reviews.approval.rules.letter_stamp), so an action on a letter that changed meanwhile is refused."""

from django import forms

from ombudsman.forms import GovUKDateField, GovUKForm, GovUKModelForm
from ombudsman.periods import ReviewPeriod
from reviews.letters.years import YEAR_FIELDS
from reviews.models import CouncilParagraph, ReviewYear

TEXTAREA = {"class": "govuk-!-width-full"}


class ReviewYearCreateForm(GovUKForm):
    label = forms.CharField(
        label="Review year",
        max_length=7,
        help_text="For example 2024-25 (1 April 2024 to 31 March 2025). It starts with our default settings and text.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={"required": "Enter the review year, like 2024-25"},
    )

    def clean_label(self):
        try:
            label = ReviewPeriod.from_label(self.cleaned_data["label"]).label
        except ValueError:
            raise forms.ValidationError("Enter the review year like 2024-25, two consecutive years") from None
        if ReviewYear.objects.filter(label=label).exists():
            raise forms.ValidationError(f"Review year {label} already exists")
        return label


class ReviewYearForm(GovUKModelForm):
    letter_date = GovUKDateField(
        label="Letter date", help_text="The date printed on the letters. For example 21 7 2025"
    )
    publication_date = GovUKDateField(
        label="Publication date", help_text="The day letters and figures are published. The letters say this date."
    )

    class Meta:
        model = ReviewYear
        fields = list(YEAR_FIELDS)
        labels = {
            "signatory_name": "Signatory",
            "signatory_title": "Signatory's title",
            "signatory_title_2": "Signatory's second title (optional)",
            "average_method": "Average in similar authorities",
            "letter_format": "Letter format",
            "population_year": "Population estimate (mid-year)",
            "intro": "Introduction",
            "context": "The year's context (optional)",
            "reading_statistics": "Complaint statistics: opening",
            "explain_upheld": "Complaints upheld: what the figure means",
            "explain_compliance": "Compliance with recommendations: what the figure means",
            "explain_satisfactory": "Satisfactory remedies: what the figure means",
            "averages": "The averages",
            "publication": "Publication",
            "resources": "Supporting complaint and service improvement",
            "closing": "Closing paragraph (optional)",
        }
        help_texts = {
            "population_year": "The ONS mid-year estimate used for the figure per 100,000 residents, for example 2023.",
            "intro": "Printed after the title.",
            "context": "A paragraph on what made this year different, for example the pandemic. "
            "Printed after the introduction. It is not carried into the next year.",
            "reading_statistics": "Opens the Complaint statistics section.",
            "explain_upheld": "Printed under the heading Complaints upheld. Leave it empty to leave the heading out.",
            "explain_compliance": "Printed under the heading Compliance with recommendations. Leave it empty to "
            "leave the heading out.",
            "explain_satisfactory": "Printed under the heading Satisfactory remedies provided by the authority. Leave "
            "it empty to leave the heading out.",
            "averages": "How the figures are compared with similar authorities.",
            "publication": "Write {date} where the publication date goes. {council_page} and {figures_page} are "
            "the addresses of the council's page and of our explanation of the statistics, for links.",
            "resources": "Training, guidance and the data we publish.",
            "closing": "Printed before the signature.",
        }
        widgets = {
            "average_method": forms.RadioSelect,
            "letter_format": forms.RadioSelect,
            "population_year": forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
            "signatory_title": forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
            "signatory_title_2": forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
            "intro": forms.Textarea(attrs={**TEXTAREA, "rows": 6}),
            "context": forms.Textarea(attrs={**TEXTAREA, "rows": 4}),
            "reading_statistics": forms.Textarea(attrs={**TEXTAREA, "rows": 3}),
            "explain_upheld": forms.Textarea(attrs={**TEXTAREA, "rows": 5}),
            "explain_compliance": forms.Textarea(attrs={**TEXTAREA, "rows": 5}),
            "explain_satisfactory": forms.Textarea(attrs={**TEXTAREA, "rows": 5}),
            "averages": forms.Textarea(attrs={**TEXTAREA, "rows": 3}),
            "publication": forms.Textarea(attrs={**TEXTAREA, "rows": 4}),
            "resources": forms.Textarea(attrs={**TEXTAREA, "rows": 6}),
            "closing": forms.Textarea(attrs={**TEXTAREA, "rows": 3}),
        }
        error_messages = {
            "signatory_name": {"required": "Enter the name of the person who signs the letters"},
            "signatory_title": {"required": "Enter the signatory's title"},
            "population_year": {"required": "Enter the year of the population estimate, like 2023"},
            "intro": {"required": "Enter the introduction"},
            "reading_statistics": {"required": "Enter the opening of the complaint statistics section"},
            "publication": {"required": "Enter the publication sentence, with {date} where the date goes"},
            "resources": {"required": "Enter the paragraph on supporting complaint and service improvement"},
        }

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("average_method", "letter_format"):  # radios: one must be chosen, no "---------"
            self.fields[name].choices = [(value, label) for value, label in self.fields[name].choices if value != ""]
        if locked:
            for field in self.fields.values():
                field.disabled = True


class CouncilParagraphForm(GovUKModelForm):
    class Meta:
        model = CouncilParagraph
        fields = ["text"]
        labels = {"text": "Paragraph for this council's letter (optional)"}
        help_texts = {
            "text": "Plain text, shown in its own section of the letter. Leave a blank line between paragraphs. "
            "Leave it empty to remove the section."
        }
        widgets = {"text": forms.Textarea(attrs={**TEXTAREA, "rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False

    def validate_unique(self):
        pass  # the service updates the one paragraph per council and year


class PreviewCouncilForm(GovUKForm):
    """Which council's letter the year's settings page previews (a GET form: nothing is saved)."""

    council = forms.ChoiceField(
        label="Council whose letter is previewed",
        error_messages={
            "invalid_choice": "Choose a council from the list",
            "required": "Choose a council from the list",
        },
    )

    def __init__(self, *args, councils: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = councils


class ConfirmForm(GovUKForm):
    """A POST with nothing but the CSRF token."""


class LetterActionForm(GovUKForm):
    seen = forms.CharField(widget=forms.HiddenInput, required=False)


class LetterReturnForm(LetterActionForm):
    comment = forms.CharField(
        label="What needs to change?",
        help_text="The managers who prepare the letter see this on the letter's page.",
        widget=forms.Textarea(attrs={"rows": 5, "class": "govuk-!-width-full"}),
        error_messages={"required": "Say what needs to change"},
    )


class LetterReissueForm(LetterActionForm):
    comment = forms.CharField(
        label="Why are you reissuing this letter?",
        help_text="For example: a decision was corrected after approval, or the chief executive has changed.",
        widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-!-width-full"}),
        error_messages={"required": "Say why the letter is reissued"},
    )


class NoLetterReasonForm(GovUKForm):
    reason = forms.CharField(
        label="Why does this council have no sent letter?",
        help_text="For example: no chief executive on record, or the letter was withdrawn. It is published with the "
        "year's figures. Leave it empty to remove the reason.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-!-width-full"}),
    )


class WithdrawYearForm(GovUKForm):
    reason = forms.CharField(
        label="Why are you withdrawing the year's figures?",
        help_text="It is shown on the public pages until the year is published again.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-!-width-full"}),
        error_messages={"required": "Say why the year is withdrawn"},
    )
