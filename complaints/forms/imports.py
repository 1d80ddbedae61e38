"""Uploading a file of decisions (complaints.importing checks it)."""

from django import forms
from django.core.exceptions import ValidationError

from complaints import importing
from complaints.importing import MAX_UPLOAD_BYTES
from ombudsman.forms import GovUKForm


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
