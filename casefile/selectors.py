"""Reads of the case file for the case page: one query per part, whatever its size."""

from casefile.models import Note
from complaints.models import Complaint


def case_notes(complaint: Complaint) -> list[Note]:
    """The case's notes, newest first, with their authors and the note each corrects (one query)."""
    notes = list(Note.objects.filter(complaint=complaint).select_related("author", "corrects", "corrects__author"))
    corrected = {note.corrects_id for note in notes if note.corrects_id}
    for note in notes:
        note.is_corrected = note.pk in corrected
        note.complaint = complaint
    return notes
