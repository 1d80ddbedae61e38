"""How the case file's events read in the case's history (complaints.history gathers them)."""

from django.utils.text import Truncator

from casefile.models import Note, NoteKind
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


EVENT_MODELS = {Note.pgh_event_model: describe_note}
