"""The demo's case files (`manage.py generate_demo_casefile`, run by `demo_setup`): notes, a few small
documents and correspondence on a sample of the open cases, so the case page, its history and the case
list's filters have something to show.

Rules:
- Only casefile's services write (note_add, document_upload, letter_send, letter_received_record), as
  the caseworker the case is assigned to, so every row passes the same checks and lands in the history.
- A small sample (SAMPLE cases, spread over the councils), so setting up the demo stays quick: each sent
  letter is one PDF rendered by the filing task. Done once: nothing happens when a note exists already.
- The documents are small PDFs written here, one page of text each: no PDF library needed.
- casefiles_delete is the one exception to "services only": casework never deletes a case file (the
  tables' triggers refuse it), but `generate_demo_data --replace` deletes the demo's cases, and their
  case files go first.
"""

import pgtrigger
from django.core.files.storage import storages
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from casefile.correspondence.models import (
    Correspondence,
    CorrespondenceEmail,
    LetterKind,
    LetterTemplate,
    Method,
    Party,
)
from casefile.correspondence.services import letter_draft, letter_received_record, letter_send
from casefile.models import Document, DocumentDownload, Note, NoteKind
from casefile.services import document_upload, note_add
from complaints.models import Complaint, Status

SAMPLE = 8


def small_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF of plain text in Helvetica (a valid file: objects, cross-reference table, trailer)."""

    def escaped(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    rows = [f"BT /F1 16 Tf 72 770 Td ({escaped(title)}) Tj ET"]
    rows += [f"BT /F1 11 Tf 72 {740 - 16 * index} Td ({escaped(line)}) Tj ET" for index, line in enumerate(lines)]
    stream = "\n".join(rows).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def sample_cases(count: int = SAMPLE) -> list[Complaint]:
    """Open cases under assessment or investigation with a caseworker, one per council, spread by id."""
    open_cases = (
        Complaint.objects.filter(status__in=[Status.ASSESSMENT, Status.INVESTIGATION], assigned_to__isnull=False)
        .order_by("council_id", "pk")
        .distinct("council_id")
        .values_list("pk", flat=True)
    )
    ids = sorted(open_cases)
    step = max(len(ids) // count, 1)
    return list(
        Complaint.objects.filter(pk__in=ids[::step][:count]).select_related("council", "assigned_to").order_by("pk")
    )


def _send(complaint: Complaint, kind: str) -> None:
    by = complaint.assigned_to
    draft = letter_draft(complaint=complaint, template=LetterTemplate.objects.get(kind=kind), by=by)
    email = draft.party == Party.COUNCIL or bool(complaint.complainant_email)
    letter_send(
        complaint=complaint,
        by=by,
        kind=kind,
        party=draft.party,
        subject=draft.subject,
        body=draft.body,
        method=Method.EMAIL if email else Method.POST,
        posted_on=None if email else timezone.localdate(),
        response_due=draft.response_due,
    )


def case_file_add(complaint: Complaint, index: int) -> None:
    """One case's file: the complaint form and a call note; the acknowledgement and an enquiry to the
    council; on every other case the council's response already in, with a note about it."""
    by, today = complaint.assigned_to, timezone.localdate()
    with transaction.atomic():
        document_upload(
            complaint=complaint,
            by=by,
            from_complainant=True,
            files=[
                (
                    "Complaint form.pdf",
                    small_pdf(
                        f"Complaint form: {complaint.reference}",
                        [
                            f"From: {complaint.complainant_name or 'the complainant'}",
                            f"About: {complaint.council}",
                            f"Received: {complaint.received_on:%d %B %Y}",
                            "What happened: see the summary on the case.",
                        ],
                    ),
                )
            ],
        )
        note_add(
            complaint=complaint,
            by=by,
            kind=NoteKind.CALL,
            text="Called the complainant to confirm what they want the council to put right. "
            "They will send copies of the council's replies.",
        )
        _send(complaint, LetterKind.ACKNOWLEDGEMENT)
        _send(complaint, LetterKind.ENQUIRY)
    if index % 2:
        return
    enquiry = complaint.correspondence.get(kind=LetterKind.ENQUIRY)
    with transaction.atomic():
        letter_received_record(
            complaint=complaint,
            by=by,
            party=Party.COUNCIL,
            received_on=today,
            subject="The council's response to our enquiries",
            method=Method.EMAIL,
            replies_to=enquiry,
            file=(
                "Council response.pdf",
                small_pdf(
                    f"Response to enquiries: {complaint.reference}",
                    [f"From: {complaint.council}", f"Dated: {today:%d %B %Y}", "Our chronology and file notes."],
                ),
            ),
        )
        note_add(
            complaint=complaint,
            by=by,
            kind=NoteKind.FILE_NOTE,
            text="The council's response is in: it accepts the delay and offers an apology. Draft decision next.",
        )


def casefile_generate(*, count: int = SAMPLE) -> list[Complaint]:
    """Case files on a sample of open cases, once (none if any note exists). Returns the cases."""
    if Note.objects.exists():
        return []
    cases = sample_cases(count)
    for index, complaint in enumerate(cases):
        case_file_add(complaint, index)
    return cases


# The triggers that keep a case file's records; only casefiles_delete sets them aside.
RECORD_KEPT_TRIGGERS = (
    "casefile.Note:note_never_deleted",
    "casefile.Document:document_record_kept",
    "casefile.Correspondence:correspondence_record_kept",
)


def _delete(queryset: QuerySet) -> int:
    """One plain DELETE (the history triggers record it; the foreign keys are checked at commit)."""
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {queryset.model._meta.db_table} WHERE id IN ({sql})", params)  # noqa: S608 - our tables
        return cursor.rowcount


@transaction.atomic
def casefiles_delete(complaints: QuerySet[Complaint]) -> int:
    """Delete these cases' case files: notes, documents (their downloads, and their files once
    committed), correspondence and its emails. Returns how many records went."""
    documents = Document.objects.filter(complaint__in=complaints)
    stored = list(documents.exclude(stored_name="").values_list("stored_name", flat=True))
    with pgtrigger.ignore(*RECORD_KEPT_TRIGGERS):
        deleted = sum(
            _delete(queryset)
            for queryset in (
                CorrespondenceEmail.objects.filter(correspondence__complaint__in=complaints),
                Correspondence.objects.filter(complaint__in=complaints),
                DocumentDownload.objects.filter(document__in=documents),
                documents,
                Note.objects.filter(complaint__in=complaints),
            )
        )
    transaction.on_commit(lambda: _delete_files(stored))
    return deleted


def _delete_files(names: list[str]) -> None:
    storage = storages["private"]
    for name in names:
        storage.delete(name)
