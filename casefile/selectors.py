"""Reads of the case file for the case page: one query per part, whatever its size."""

from casefile.models import Document, Note
from casefile.uploads import KINDS
from complaints.models import Complaint


def case_notes(complaint: Complaint) -> list[Note]:
    """The case's notes, newest first, with their authors and the note each corrects (one query)."""
    notes = list(Note.objects.filter(complaint=complaint).select_related("author", "corrects", "corrects__author"))
    corrected = {note.corrects_id for note in notes if note.corrects_id}
    for note in notes:
        note.is_corrected = note.pk in corrected
        note.complaint = complaint
    return notes


def case_documents(complaint: Complaint) -> list[Document]:
    """The case's documents, newest first, deleted ones too (their record stays), one query."""
    documents = list(Document.objects.filter(complaint=complaint).select_related("uploaded_by", "deleted_by"))
    labels = {kind.content_type: kind.label for kind in KINDS}
    for document in documents:
        document.kind_label = labels.get(document.content_type, document.content_type)
        document.complaint = complaint
    return documents
