"""The case file's parts (notes, documents, correspondence) of the case page, of its history and of the case
list's filters, registered with complaints.case_page."""

from casefile import filters, permissions, selectors
from casefile.history import EVENT_MODELS
from complaints import case_page


def notes_context(request, complaint) -> dict:
    notes = selectors.case_notes(complaint)
    for note in notes:
        note.can_edit = permissions.can_edit_note(request.user, note)
        note.edit_ends = permissions.note_edit_ends(note)
    return {"notes": notes, "can_add_note": permissions.can_add_note(request.user)}


def documents_context(request, complaint) -> dict:
    documents = selectors.case_documents(complaint)
    return {
        "documents": documents,
        "documents_kept": sum(1 for document in documents if not document.is_deleted),
        "can_add_document": permissions.can_view_case_file(request.user),
        "can_delete_document": permissions.can_delete_document(request.user),
    }


def correspondence_context(request, complaint) -> dict:
    return {
        "correspondence": selectors.case_correspondence(complaint),
        "can_send_letters": permissions.can_send_letters(request.user),
    }


def register() -> None:
    case_page.register_section(case_page.Section("notes", "casefile/_notes.html", notes_context, order=10))
    case_page.register_section(case_page.Section("documents", "casefile/_documents.html", documents_context, order=20))
    case_page.register_section(
        case_page.Section("correspondence", "casefile/_correspondence.html", correspondence_context, order=30)
    )
    case_page.register_list_filter(case_page.ListFilter("has_documents", filters.has_documents_filter))
    case_page.register_list_filter(
        case_page.ListFilter("awaiting_council_response", filters.awaiting_council_response_filter)
    )
    for event_model, describe in EVENT_MODELS.items():
        case_page.register_history(case_page.HistorySource(event_model, describe))
