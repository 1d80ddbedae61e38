"""Correspondence forms (GOV.UK patterns): input only; the rules are the services'."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from casefile.correspondence.models import Correspondence, Direction, FilingStatus, LetterKind, Method, Party
from casefile.correspondence.placeholders import placeholder_problems
from casefile.services import document_problems
from casefile.uploads import ALLOWED
from ombudsman.formatting import long_date, short_date
from ombudsman.forms import GovUKDateField, GovUKForm

DATE_HINT = "For example, 27 3 2026"
PARTY_CHOICES = [
    (Party.COMPLAINANT, "The complainant"),
    (Party.COUNCIL, "The council (its complaints contact, else its link officer)"),
]


class LetterChooseForm(GovUKForm):
    """Which template, to whom: the next page fills the template in for the case."""

    kind = forms.ChoiceField(
        label="Which letter?",
        choices=LetterKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the letter to write"},
    )
    party = forms.ChoiceField(
        label="Who is it to?",
        choices=PARTY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the letter is to"},
    )

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(template.kind, template_label(template)) for template in templates]


def template_label(template) -> str:
    """`Enquiry to the council (usually to the council; asks for a reply in 20 working days)`."""
    usually = f"usually to {Party(template.addressed_to).label.lower()}"
    if template.response_days:
        usually += f"; asks for a reply in {template.response_days} working days"
    return f"{template} ({usually})"


class LetterComposeForm(GovUKForm):
    """The letter as it will be sent: its subject and text (the template filled in for the case),
    the date a reply is due (letters that ask for one) and, to record it as sent by post, the date
    it was posted."""

    subject = forms.CharField(
        label="Subject", max_length=200, error_messages={"required": "Enter the letter's subject"}
    )
    body = forms.CharField(
        label="Letter",
        max_length=20_000,
        help_text="A blank line starts a new paragraph. The signature (your name and the organisation's) "
        "is added below the text.",
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"required": "Enter the letter's text"},
    )
    response_due = GovUKDateField(
        label="Reply due by",
        required=False,
        help_text="Filled in as the template's working days from today (bank holidays in England are not "
        "counted). If you change it, change the date in the letter too. " + DATE_HINT,
    )
    posted_on = GovUKDateField(
        label="Date posted",
        required=False,
        help_text="Only when you record the letter as sent by post. " + DATE_HINT,
    )

    def __init__(self, *args, asks_for_reply: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not asks_for_reply:
            del self.fields["response_due"]

    def clean_subject(self):
        return " ".join(self.cleaned_data["subject"].split())


class LetterPostedForm(GovUKForm):
    """The day a letter we emailed was also posted."""

    posted_on = GovUKDateField(
        label="Date posted", help_text=DATE_HINT, error_messages={"required": "Enter the date the letter was posted"}
    )


class LetterEmailResendForm(GovUKForm):
    """A confirmation: no fields (the service says why an email cannot be sent again)."""


class SentLetterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, letter) -> str:
        due = f", reply due {short_date(letter.response_due)}" if letter.response_due else ""
        return (
            f"{letter.get_kind_display()} to {letter.get_party_display().lower()} of {long_date(letter.dated_on)}{due}"
        )


class LetterReceivedForm(GovUKForm):
    """A letter that came from the complainant or the council, with its document (judged as any
    upload is: casefile.services.document_problems)."""

    party = forms.ChoiceField(
        label="Who is it from?",
        choices=[(Party.COMPLAINANT, "The complainant"), (Party.COUNCIL, "The council")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the letter is from"},
    )
    received_on = GovUKDateField(
        label="Date received", help_text=DATE_HINT, error_messages={"required": "Enter the date it was received"}
    )
    subject = forms.CharField(
        label="What is it?",
        max_length=200,
        help_text="For example: The council's response to our enquiry.",
        error_messages={"required": "Say what the letter is"},
    )
    method = forms.ChoiceField(
        label="How did it arrive?",
        choices=[(Method.EMAIL, "By email"), (Method.POST, "By post")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it arrived"},
    )
    file = forms.FileField(
        label="The letter",
        help_text=f"A scan, the email saved as a file, or the letter itself. {ALLOWED}. "
        f"Up to {settings.DOCUMENT_MAX_BYTES // (1024 * 1024)} MB.",
        error_messages={"required": "Select the letter's file", "empty": "The selected file is empty"},
    )
    replies_to = SentLetterChoiceField(
        label="Does it answer one of our letters?",
        queryset=Correspondence.objects.none(),
        required=False,
        empty_label="No, or not one that asked for a reply",
        blank=True,
        widget=forms.RadioSelect,
        help_text="A council's response to an enquiry answers it: the enquiry is then no longer awaiting a response.",
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replies_to"].queryset = (
            Correspondence.objects.filter(complaint=complaint, direction=Direction.OUTGOING, response_due__isnull=False)
            .exclude(status=FilingStatus.FAILED)
            .order_by("-dated_on", "-pk")
        )

    def clean_subject(self):
        return " ".join(self.cleaned_data["subject"].split())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        file = (upload.name, upload.read())
        problems = document_problems([file])
        if problems:
            raise ValidationError(problems)
        return file


class LetterTemplateForm(GovUKForm):
    """A template's wording and who it is usually to. Placeholders are checked here (so a preview
    never fills a broken one) and again by the service."""

    addressed_to = forms.ChoiceField(
        label="Usually to", choices=PARTY_CHOICES, widget=forms.RadioSelect, help_text="The caseworker can change it."
    )
    subject = forms.CharField(label="Subject", max_length=200, error_messages={"required": "Enter the subject"})
    body = forms.CharField(
        label="Letter",
        max_length=20_000,
        help_text="A blank line starts a new paragraph. Write a brace meant literally as {{ or }}.",
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"required": "Enter the letter's text"},
    )
    response_days = forms.IntegerField(
        label="Working days to reply (optional)",
        required=False,
        min_value=1,
        max_value=120,
        help_text="For a letter that asks for a reply: the date {response_due} is this many working days after "
        "the letter's date. Leave empty when no reply is asked for.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter the working days as a whole number, like 20",
            "min_value": "The working days to reply must be between 1 and 120",
            "max_value": "The working days to reply must be between 1 and 120",
        },
    )

    def clean(self):
        data = super().clean()
        for field in ("subject", "body"):
            if data.get(field):
                for problem in placeholder_problems(data[field]):
                    self.add_error(field, problem)
        return data
