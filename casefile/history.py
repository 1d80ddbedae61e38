"""How the case file's events read in the case's history (complaints.history gathers them)."""

from django.template.defaultfilters import filesizeformat
from django.utils.text import Truncator

from casefile.models import Document, Note, NoteKind
from casefile.uploads import KINDS as DOCUMENT_KINDS
from complaints.history import TEXT_LIMIT, Change, Item

KINDS = dict(NoteKind.choices)


def _kind(data: dict) -> str:
    return KINDS.get(data.get("kind") or "", "Note")


def describe_note(event) -> Item | None:
    data = event.pgh_data or {}
    text = Truncator(data.get("text") or "").chars(TEXT_LIMIT)
    if event.pgh_label == "insert":
        title = "Correction note added" if data.get("corrects_id") else "Note added"
        return Item(title, facts=[f"Kind: {_kind(data)}", f"Text: {text}"])
    if event.pgh_label == "delete":
        return Item("Note deleted", facts=[f"Text: {text}"])
    diff = event.pgh_diff or {}
    changes = []
    if "kind" in diff:
        old, new = diff["kind"]
        changes.append(Change("Kind", KINDS.get(old or "", "none"), KINDS.get(new or "", "none")))
    if "text" in diff:
        old, new = diff["text"]
        changes.append(Change("Text", Truncator(old or "").chars(TEXT_LIMIT), Truncator(new or "").chars(TEXT_LIMIT)))
    return Item("Note changed", changes=changes) if changes else None


LABELS = {kind.content_type: kind.label for kind in DOCUMENT_KINDS}
MARKS = {"from_complainant": "From the complainant", "shared_with_council": "Shared with the council"}


def _yes(value) -> str:
    return "yes" if value else "no"


def describe_document(event) -> Item | None:
    data = event.pgh_data or {}
    facts = [
        f"File: {data.get('file_name')}",
        f"Kind: {LABELS.get(data.get('content_type'), data.get('content_type'))}, {filesizeformat(data.get('size') or 0)}",
        f"SHA-256: {data.get('sha256')}",
    ]
    if event.pgh_label == "insert":
        marks = [label for key, label in MARKS.items() if data.get(key)]
        return Item("Document added", facts=facts + ([f"Marked: {', '.join(marks)}"] if marks else []))
    if event.pgh_label == "delete":
        return Item("Document record removed", facts=facts)
    diff = event.pgh_diff or {}
    if "deleted_at" in diff:
        reason = Truncator(data.get("deletion_reason") or "").chars(TEXT_LIMIT)
        return Item("Document deleted", facts=[*facts, f"Reason: {reason}"])
    changes = [Change(label, _yes(diff[key][0]), _yes(diff[key][1])) for key, label in MARKS.items() if key in diff]
    return Item(f"Document marks changed ({data.get('file_name')})", changes=changes) if changes else None


EVENT_MODELS = {Note.pgh_event_model: describe_note, Document.pgh_event_model: describe_document}
