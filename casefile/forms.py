"""Case file forms (GOV.UK patterns): input only; the rules are the models' and the services'."""

from django import forms

from casefile.models import Note, NoteKind
from ombudsman.forms import GovUKModelForm


class NoteForm(GovUKModelForm):
    kind = forms.ChoiceField(
        label="Kind of note",
        choices=NoteKind.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Optional.",
    )

    class Meta:
        model = Note
        fields = ["kind", "text"]
        labels = {"text": "Note"}
        help_texts = {"text": "What happened or what you found: who, when, what was said or agreed."}
        error_messages = {"text": {"required": "Enter the note"}}
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}
