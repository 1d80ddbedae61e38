"""Case file forms (GOV.UK patterns): input only; the rules are the models' and the services'."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from casefile.models import Document, Note, NoteKind
from casefile.services import document_problems
from casefile.uploads import ALLOWED
from ombudsman.forms import GovUKForm, GovUKModelForm


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


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input: a list of uploads. Each is judged by the service
    (casefile.services.document_problems), so every refusal names its file."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


class DocumentUploadForm(GovUKForm):
    files = MultipleFileField(
        label="Upload files",
        help_text=(
            f"{ALLOWED}. Up to {settings.DOCUMENT_MAX_BYTES // (1024 * 1024)} MB each, "
            f"{settings.DOCUMENT_UPLOAD_MAX_FILES} files at once. You can select several files."
        ),
        error_messages={"required": "Select one or more files"},
    )
    from_complainant = forms.BooleanField(label="From the complainant", required=False)
    shared_with_council = forms.BooleanField(label="Shared with the council", required=False)

    def clean_files(self):
        files = [(upload.name, upload.read()) for upload in self.cleaned_data["files"]]
        problems = document_problems(files)
        if problems:
            raise ValidationError(problems)
        return files


class DocumentMarkForm(GovUKModelForm):
    class Meta:
        model = Document
        fields = ["from_complainant", "shared_with_council"]
        labels = {"from_complainant": "From the complainant", "shared_with_council": "Shared with the council"}


class DocumentDeleteForm(GovUKForm):
    reason = forms.CharField(
        label="Why are you deleting this document?",
        help_text="The file is removed. Its name, fingerprint (SHA-256), who uploaded and deleted it, and this reason stay in the case's history.",
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the document is being deleted"},
    )
