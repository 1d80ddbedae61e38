"""Uploaded files of decisions (ImportBatch), the import page's lifecycle: upload (kept in
private storage and checked, nothing imported), confirm (checked again against the cases as
they are now, then imported) or discard. An upload is judged by its content, never its name.
"""

import hashlib
import uuid

import pghistory
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from complaints.importing.decisions import decisions_check, decisions_import
from complaints.importing.preview import preview_data
from complaints.importing.report import ImportReport
from complaints.models import ImportBatch, ImportStatus
from ombudsman.csvio import ImportFailed, decode

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 70,000-110,000 decisions: checked and imported within a request
MAX_STORED_ERRORS = 500
TOO_LARGE = f"The selected file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
BINARY_SIGNATURES = {
    b"PK\x03\x04": "a zip archive (or an Excel .xlsx workbook)",
    b"%PDF": "a PDF",
    b"MZ": "a Windows program",
    b"\x7fELF": "a program",
    b"\xd0\xcf\x11\xe0": "an old Office document (.xls or .doc)",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
    b"GIF8": "an image",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"{\\rtf": "a Word document (RTF)",
}


def upload_problem(data: bytes) -> str | None:
    """Why an upload is not a CSV file of text (judged by its content, never its name), or None."""
    if not data:
        return "The selected file is empty"
    if len(data) > MAX_UPLOAD_BYTES:
        return TOO_LARGE
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return f"The selected file must be a CSV file: this one is {kind}"
    if b"\x00" in data:
        return "The selected file must be a CSV file: this one contains binary data"
    _text, error = decode(data)
    if error:
        return f"The selected file must be saved as CSV UTF-8: line {error.line} has characters that are not UTF-8"
    return None


def _record(batch: ImportBatch, report: ImportReport) -> None:
    batch.row_count = report.rows
    batch.counts = report.counts()
    batch.errors = [[e.line, e.column, e.message] for e in report.errors[:MAX_STORED_ERRORS]]
    batch.error_count = len(report.errors)
    batch.warnings = [[w.line, w.column, w.message] for w in report.warnings[:MAX_STORED_ERRORS]]
    batch.warning_count = len(report.warnings)
    batch.preview = preview_data(report)
    batch.checked_at = timezone.now()


def import_batch_upload(*, data: bytes, file_name: str, by) -> ImportBatch:
    """Keep an uploaded file in private storage and check it (nothing is imported yet)."""
    problem = upload_problem(data)
    if problem:
        raise ValidationError(problem)
    report = decisions_check(data)
    storage = storages["private"]
    stored_name = storage.save(f"imports/{uuid.uuid4().hex}.csv", ContentFile(data))
    batch = ImportBatch(
        file_name=file_name.replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload.csv",
        stored_name=stored_name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
        status=ImportStatus.READY if report.ok else ImportStatus.INVALID,
    )
    _record(batch, report)
    try:
        with transaction.atomic():
            batch.full_clean()
            batch.save()
    except BaseException:
        storage.delete(stored_name)
        raise
    return batch


@transaction.atomic
def import_batch_confirm(*, batch: ImportBatch, by) -> ImportBatch:
    """Import a checked file. The file is checked again against the cases as they are now: if
    that finds errors, nothing is written and the batch shows them (status invalid)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.READY:
        raise ValidationError(f"This file cannot be imported: it is {batch.get_status_display().lower()}.")
    with storages["private"].open(batch.stored_name, "rb") as file:
        data = file.read()
    try:
        with pghistory.context(import_batch=batch.pk, user=by.pk):
            report = decisions_import(data)
    except ImportFailed as failure:
        _record(batch, ImportReport(rows=batch.row_count, errors=failure.errors))
        batch.status = ImportStatus.INVALID
        batch.save()
        return batch
    _record(batch, report)
    _finish(batch, ImportStatus.IMPORTED, by)
    return batch


@transaction.atomic
def import_batch_discard(*, batch: ImportBatch, by) -> ImportBatch:
    """Drop an uploaded file that will not be imported (its check results stay)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status in (ImportStatus.IMPORTED, ImportStatus.DISCARDED):
        raise ValidationError(f"This file is already {batch.get_status_display().lower()}.")
    _finish(batch, ImportStatus.DISCARDED, by)
    return batch


def _finish(batch: ImportBatch, status: str, by) -> None:
    stored_name = batch.stored_name
    batch.status, batch.stored_name, batch.finished_by, batch.finished_at = status, "", by, timezone.now()
    batch.full_clean()
    batch.save()
    transaction.on_commit(lambda: storages["private"].delete(stored_name))
