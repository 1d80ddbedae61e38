"""The case file: what a caseworker keeps on a case while working it (notes, documents).

Staff only: nothing here is read by the annual review, the portal, the public site, open data
or the case export (those apps sit below or beside this one and never import it).

Notes are a record: a note may be changed by its author for NOTE_EDIT_MINUTES after it was
written; after that it is corrected only by adding a correction note that points to it. The
database keeps the same rules (a trigger refuses a late change, a change of author, case or
time, a correction of a note on another case, and any deletion; a case with notes is kept), so
the admin, a shell or raw SQL cannot rewrite one either. Every insert and change is in the
case's history (pghistory), with the old text.

Documents are files in the "private" storage under a random name (never a URL), with the name
they were uploaded with, their size, SHA-256, kind (decided from the content: casefile.uploads),
uploader and time. Deleting one is a manager's action with a reason: the file goes, the row stays
(name, hash, who, when, why), and a row is never removed. Every download is logged.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from complaints.models import Complaint
from ombudsman.history import track

NOTE_EDIT_MINUTES = 15


class NoteKind(models.TextChoices):
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    INTERNAL = "internal", "Internal"
    FILE_NOTE = "file_note", "File note"


@track()
class Note(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=NoteKind.choices, blank=True)
    text = models.TextField(max_length=20_000)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The note this one corrects (a note is corrected, never rewritten, once it is locked).",
    )
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["complaint", "-created_at"], name="note_complaint_newest")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="note_text_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=["", *NoteKind.values]), name="note_kind_valid"),
            models.CheckConstraint(condition=~Q(corrects=models.F("pk")), name="note_not_its_own_correction"),
            models.CheckConstraint(
                condition=Q(edited_at__isnull=True) | Q(edited_at__gte=models.F("created_at")),
                name="note_edited_after_written",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="note_locked_after_edit_window",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    f"""
                    IF NEW.author_id <> OLD.author_id OR NEW.complaint_id <> OLD.complaint_id
                       OR NEW.created_at <> OLD.created_at
                       OR NEW.corrects_id IS DISTINCT FROM OLD.corrects_id THEN
                        RAISE EXCEPTION 'A note''s author, case, time and the note it corrects cannot be changed.'
                            USING ERRCODE = 'check_violation';
                    END IF;
                    IF OLD.created_at < now() - interval '{NOTE_EDIT_MINUTES} minutes' THEN
                        RAISE EXCEPTION 'A note can be changed only in the {NOTE_EDIT_MINUTES} minutes after it was written; add a correction instead.'
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                    """
                ),
            ),
            pgtrigger.Trigger(
                name="note_correction_same_case",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    """
                    IF NEW.corrects_id IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM {meta.db_table} WHERE id = NEW.corrects_id AND complaint_id = NEW.complaint_id
                    ) THEN
                        RAISE EXCEPTION 'A correction belongs to the case of the note it corrects.'
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                    """
                ),
            ),
            pgtrigger.Trigger(
                name="note_never_deleted",
                operation=pgtrigger.Delete,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    """
                    RAISE EXCEPTION 'A note is part of the case''s record: it cannot be deleted.'
                        USING ERRCODE = 'check_violation';
                    """
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display() or 'Note'} on {self.complaint_id} by {self.author_id}"


class DocumentQuerySet(models.QuerySet):
    def kept(self):
        """Documents whose file is still there (a deleted one keeps only its record)."""
        return self.filter(deleted_at__isnull=True)


@track()
class Document(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="documents")
    file_name = models.CharField(max_length=200, help_text="The name it was uploaded with (display only).")
    stored_name = models.CharField(
        max_length=200, blank=True, help_text='Path in the "private" storage; empty once deleted.'
    )
    content_type = models.CharField(max_length=100, help_text="Decided from the content, never from the name.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    shared_with_council = models.BooleanField(default=False)
    from_complainant = models.BooleanField(default=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deletion_reason = models.TextField(blank=True, max_length=2_000)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["complaint", "-uploaded_at"], name="document_complaint_newest")]
        constraints = [
            models.CheckConstraint(condition=~Q(file_name=""), name="document_file_name_not_empty"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256_hex"),
            models.CheckConstraint(
                condition=(
                    Q(deleted_at__isnull=True) & Q(deleted_by__isnull=True) & Q(deletion_reason="") & ~Q(stored_name="")
                )
                | (
                    Q(deleted_at__isnull=False)
                    & Q(deleted_by__isnull=False)
                    & ~Q(deletion_reason="")
                    & Q(stored_name="")
                ),
                name="document_deleted_has_who_when_why_and_no_file",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="document_record_kept",
                operation=pgtrigger.Delete,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    """
                    RAISE EXCEPTION 'A document''s record is part of the case: delete its file instead.'
                        USING ERRCODE = 'check_violation';
                    """
                ),
            ),
            pgtrigger.Trigger(
                name="document_facts_fixed",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    """
                    IF NEW.complaint_id <> OLD.complaint_id OR NEW.file_name <> OLD.file_name
                       OR NEW.sha256 <> OLD.sha256 OR NEW.size <> OLD.size OR NEW.content_type <> OLD.content_type
                       OR NEW.uploaded_by_id <> OLD.uploaded_by_id OR NEW.uploaded_at <> OLD.uploaded_at
                       OR (OLD.deleted_at IS NOT NULL AND (NEW.deleted_at IS DISTINCT FROM OLD.deleted_at
                           OR NEW.deletion_reason <> OLD.deletion_reason OR NEW.deleted_by_id IS DISTINCT FROM OLD.deleted_by_id))
                    THEN
                        RAISE EXCEPTION 'What a document is, who uploaded it and why it was deleted cannot be changed.'
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                    """
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


@track()
class DocumentDownload(models.Model):
    """One download of a document: who and when (the file itself is not copied)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.document_id} downloaded by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"


# Correspondence lives in its own package; its models are the app's too.
from casefile.correspondence.models import (  # noqa: E402 -- the app's models, after its own
    Correspondence,
    CorrespondenceEmail,
    LetterTemplate,
)

__all__ = ["Correspondence", "CorrespondenceEmail", "Document", "DocumentDownload", "LetterTemplate", "Note"]
