"""Who may see and change the case file. Staff only: council users and the public never reach it."""

import datetime

from django.utils import timezone

from casefile.models import NOTE_EDIT_MINUTES, Note
from ombudsman import roles


def can_view_case_file(user) -> bool:
    return roles.is_caseworker(user)


def can_add_note(user) -> bool:
    return roles.is_caseworker(user)


def note_edit_ends(note: Note) -> datetime.datetime:
    return note.created_at + datetime.timedelta(minutes=NOTE_EDIT_MINUTES)


def can_edit_note(user, note: Note) -> bool:
    """Its author, for NOTE_EDIT_MINUTES after it was written; a correction note is edited like any other."""
    return roles.is_caseworker(user) and note.author_id == user.pk and timezone.now() < note_edit_ends(note)


def can_delete_document(user) -> bool:
    """Deleting a document's file is a manager's decision."""
    return roles.is_manager(user)


def can_send_letters(user) -> bool:
    """Writing to the complainant or the council, and recording what they send."""
    return roles.is_caseworker(user)


def can_edit_letter_templates(user) -> bool:
    return roles.is_manager(user)
