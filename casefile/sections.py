"""The case file's parts of the case page and of its history, registered with complaints.case_page."""

from casefile import permissions, selectors
from casefile.history import EVENT_MODELS
from complaints import case_page


def notes_context(request, complaint) -> dict:
    notes = selectors.case_notes(complaint)
    for note in notes:
        note.can_edit = permissions.can_edit_note(request.user, note)
        note.edit_ends = permissions.note_edit_ends(note)
    return {"notes": notes, "can_add_note": permissions.can_add_note(request.user)}


def register() -> None:
    case_page.register_section(case_page.Section("notes", "casefile/_notes.html", notes_context, order=10))
    for event_model, describe in EVENT_MODELS.items():
        case_page.register_history(case_page.HistorySource(event_model, describe))
