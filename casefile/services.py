"""Writes to the case file. Each runs in one transaction, checks the rules in words a
caseworker understands (the database checks them again) and lands in the case's history."""

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from casefile import permissions, uploads
from casefile.models import NOTE_EDIT_MINUTES, Document, DocumentDownload, Note
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


def _size(byte_count: int) -> str:
    return f"{byte_count / (1024 * 1024):.0f} MB" if byte_count >= 1024 * 1024 else f"{byte_count:,} bytes"


def document_problems(files: list[tuple[str, bytes]]) -> list[str]:
    """What is wrong with each file of an upload, one message per file ("name: why"), and with the
    upload as a whole. Empty when every file may be kept."""
    if not files:
        return ["Select one or more files"]
    if len(files) > settings.DOCUMENT_UPLOAD_MAX_FILES:
        return [f"Select at most {settings.DOCUMENT_UPLOAD_MAX_FILES} files at once (you selected {len(files)})"]
    problems = []
    for name, data in files:
        shown = uploads.clean_file_name(name)
        if len(data) > settings.DOCUMENT_MAX_BYTES:
            problems.append(f"{shown}: it is larger than {_size(settings.DOCUMENT_MAX_BYTES)}")
            continue
        try:
            uploads.kind_of(data)
        except uploads.Refused as refused:
            problems.append(f"{shown}: {refused}")
    total = sum(len(data) for _name, data in files)
    if not problems and total > settings.DOCUMENT_UPLOAD_MAX_BYTES:
        problems.append(
            f"The files add up to more than {_size(settings.DOCUMENT_UPLOAD_MAX_BYTES)}: upload them in parts"
        )
    return problems


def document_upload(
    *,
    complaint: Complaint,
    by,
    files: list[tuple[str, bytes]],
    shared_with_council: bool = False,
    from_complainant: bool = False,
) -> list[Document]:
    """Keep several files on the case, all or none: if any is refused, nothing is stored."""
    if not permissions.can_view_case_file(by):
        raise ValidationError("Only ombudsman staff can add documents.")
    problems = document_problems(files)
    if problems:
        raise ValidationError(problems)
    storage = storages["private"]
    stored: list[str] = []
    try:
        with transaction.atomic():
            documents = []
            now = timezone.now()
            for name, data in files:
                stored_name = storage.save(f"casefile/{uuid.uuid4().hex}", ContentFile(data))
                stored.append(stored_name)
                document = Document(
                    complaint=complaint,
                    file_name=uploads.clean_file_name(name),
                    stored_name=stored_name,
                    content_type=uploads.kind_of(data).content_type,
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    uploaded_by=by,
                    uploaded_at=now,
                    shared_with_council=shared_with_council,
                    from_complainant=from_complainant,
                )
                document.full_clean()
                document.save()
                documents.append(document)
    except BaseException:
        for stored_name in stored:
            storage.delete(stored_name)
        raise
    return documents


@transaction.atomic
def document_mark(*, document: Document, shared_with_council: bool, from_complainant: bool) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    document.shared_with_council, document.from_complainant = shared_with_council, from_complainant
    document.save(update_fields=["shared_with_council", "from_complainant"])
    return document


@transaction.atomic
def document_delete(*, document: Document, by, reason: str) -> Document:
    """A manager deletes a document's file, saying why; its record (name, hash, who, why) stays.
    The file is removed once the change is committed."""
    if not permissions.can_delete_document(by):
        raise ValidationError("Only a manager can delete a document.")
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_deleted:
        raise ValidationError("This document has already been deleted.")
    if not reason.strip():
        raise ValidationError({"deletion_reason": "Say why the document is being deleted"})
    stored_name = document.stored_name
    document.stored_name, document.deleted_by, document.deleted_at = "", by, timezone.now()
    document.deletion_reason = reason.strip()
    document.full_clean()
    document.save(update_fields=["stored_name", "deleted_by", "deleted_at", "deletion_reason"])
    transaction.on_commit(lambda: storages["private"].delete(stored_name))
    return document


def document_download_log(*, document: Document, by) -> DocumentDownload:
    return DocumentDownload.objects.create(document=document, user=by, at=timezone.now())
