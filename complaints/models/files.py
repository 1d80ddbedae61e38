"""Casework files in and out: the log of every CSV export, and the uploaded files of decisions
(complaints.importing).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ombudsman.history import track


@track()
class ExportLog(models.Model):
    """Every CSV export of casework: who, when, which filter, how many rows, and whether it held
    complainants' names and contact details (then with the reason the manager gave)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    query = models.TextField(blank=True, help_text="The filter, as the list page's query string.")
    row_count = models.PositiveIntegerField()
    personal = models.BooleanField(
        "with personal data", default=False, help_text="Complainants' names and contact details included."
    )
    reason = models.TextField(blank=True, help_text="Why personal data was exported (required when it was).")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(personal=False) | ~Q(reason=""), name="exportlog_personal_has_reason"),
        ]

    def __str__(self) -> str:
        kind = "with personal data" if self.personal else "without personal data"
        return f"{self.row_count} rows {kind} by {self.user} at {self.created_at:%d/%m/%Y %H:%M}"


class ImportStatus(models.TextChoices):
    READY = "ready", "Ready to import"
    INVALID = "invalid", "Has errors"
    IMPORTED = "imported", "Imported"
    DISCARDED = "discarded", "Discarded"


@track()
class ImportBatch(models.Model):
    """An uploaded file of decisions (complaints.importing): checked on upload, imported when a
    manager confirms. The file lives in the "private" storage (never under a URL) until it is
    imported or discarded; the counts and errors stay as the record of what happened."""

    file_name = models.CharField(max_length=200, help_text="The name the file was uploaded with (display only).")
    stored_name = models.CharField(
        max_length=200, blank=True, help_text='Path in the "private" storage; empty once removed.'
    )
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    row_count = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True, help_text="Cases to create, update or leave, by outcome.")
    errors = models.JSONField(default=list, blank=True, help_text="The first errors: [line, column, message].")
    error_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    warning_count = models.PositiveIntegerField(default=0)
    preview = models.JSONField(
        default=list, blank=True, help_text="The first rows that are not errors, as they will be stored."
    )
    checked_at = models.DateTimeField()
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When it was imported or discarded.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="import_batch_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=[ImportStatus.IMPORTED, ImportStatus.DISCARDED])
                | (Q(stored_name="") & Q(finished_at__isnull=False)),
                name="import_batch_finished_has_no_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
