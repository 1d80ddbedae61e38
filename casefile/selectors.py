"""Reads of the case file for the case page: one query per part, whatever its size."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from casefile.correspondence.models import Correspondence, CorrespondenceEmail
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


def case_correspondence(complaint: Complaint) -> list[Correspondence]:
    """The case's letters, sent and received, newest first, with their documents, who wrote or
    recorded them, the letter each answers and the letters answering it, and the emails of sent
    ones (two queries: the letters, then their emails)."""
    letters = list(
        Correspondence.objects.filter(complaint=complaint)
        .select_related("document", "created_by", "replies_to")
        .prefetch_related(Prefetch("emails", queryset=CorrespondenceEmail.objects.order_by("recipient", "pk")))
    )
    replies = defaultdict(list)
    for letter in letters:
        if letter.replies_to_id:
            replies[letter.replies_to_id].append(letter)
    today = timezone.localdate()
    for letter in letters:
        letter.complaint = complaint
        letter.answered_by = replies[letter.pk]
        letter.is_overdue = bool(
            letter.is_sent and letter.response_due and not letter.answered_by and letter.response_due < today
        )
    return letters
