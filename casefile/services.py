"""Writes to the case file. Each runs in one transaction, checks the rules in words a
caseworker understands (the database checks them again) and lands in the case's history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casefile import permissions
from casefile.models import NOTE_EDIT_MINUTES, Note
from complaints.models import Complaint


@transaction.atomic
def note_add(*, complaint: Complaint, by, text: str, kind: str = "", corrects: Note | None = None) -> Note:
    """A note on the case; with `corrects`, a correction of an earlier note of the same case."""
    if not permissions.can_add_note(by):
        raise ValidationError("Only ombudsman staff can add notes.")
    if corrects is not None and corrects.complaint_id != complaint.pk:
        raise ValidationError("A correction must be added to the case of the note it corrects.")
    note = Note(complaint=complaint, author=by, kind=kind, text=text, corrects=corrects, created_at=timezone.now())
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def note_edit(*, note: Note, by, text: str, kind: str = "") -> Note:
    """Change a note: only its author, only in the first NOTE_EDIT_MINUTES (then add a correction)."""
    note = Note.objects.select_for_update().get(pk=note.pk)
    if note.author_id != by.pk:
        raise ValidationError("Only the author of a note can change it. Add a correction instead.")
    if not permissions.can_edit_note(by, note):
        raise ValidationError(
            f"A note can be changed only in the {NOTE_EDIT_MINUTES} minutes after it was written. Add a correction instead."
        )
    note.text, note.kind, note.edited_at = text, kind, timezone.now()
    note.full_clean()
    note.save(update_fields=["text", "kind", "edited_at"])
    return note
