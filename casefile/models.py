"""The case file: what a caseworker keeps on a case while working it (notes; documents).

Staff only: nothing here is read by the annual review, the portal, the public site, open data
or the case export (those apps sit below or beside this one and never import it).

Notes are a record: a note may be changed by its author for NOTE_EDIT_MINUTES after it was
written; after that it is corrected only by adding a correction note that points to it. The
database keeps the same rules (a trigger refuses a late change, a change of author, case or
time, a correction of a note on another case, and any deletion; a case with notes is kept), so
the admin, a shell or raw SQL cannot rewrite one either. Every insert and change is in the
case's history (pghistory), with the old text.
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
