"""How the case file's events read in the case's history (complaints.history gathers them)."""

import datetime

from django.template.defaultfilters import filesizeformat
from django.utils.text import Truncator

from casefile.correspondence.models import (
    Correspondence,
    CorrespondenceEmail,
    Direction,
    FilingStatus,
    LetterKind,
    Method,
    Party,
)
from casefile.models import Document, Note, NoteKind
from casefile.uploads import KINDS as DOCUMENT_KINDS
from complaints.history import TEXT_LIMIT, Change, Item
from ombudsman.formatting import long_date

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


LETTER_KINDS, PARTIES, METHODS = dict(LetterKind.choices), dict(Party.choices), dict(Method.choices)


def _date(value) -> str:
    return long_date(datetime.date.fromisoformat(value)) if value else "none"


def describe_correspondence(event) -> Item | None:
    data = event.pgh_data or {}
    party = PARTIES.get(data.get("party"), data.get("party")).lower()
    subject = f"Subject: {Truncator(data.get('subject') or '').chars(TEXT_LIMIT)}"
    if event.pgh_label == "insert":
        if data.get("direction") == Direction.INCOMING:
            facts = [subject, f"Received: {_date(data.get('dated_on'))}, {METHODS.get(data.get('method'), '').lower()}"]
            if data.get("replies_to_id"):
                facts.append("Answers one of our letters")
            return Item(f"Letter received from {party}", facts=facts)
        to = data.get("recipient_name") or party
        if data.get("method") == Method.EMAIL:
            to += f" ({data.get('recipient_email')})"
        facts = [f"To: {to}", subject, f"Sent: {METHODS.get(data.get('method'), '').lower()}"]
        if data.get("posted_on"):
            facts.append(f"Posted: {_date(data.get('posted_on'))}")
        if data.get("response_due"):
            facts.append(f"Response due: {_date(data.get('response_due'))}")
        return Item(f"Letter sent: {LETTER_KINDS.get(data.get('kind'), 'letter').lower()}", facts=facts)
    diff = event.pgh_diff or {}
    if "posted_on" in diff and data.get("posted_on"):
        return Item("Letter recorded as sent by post", facts=[subject, f"Posted: {_date(data.get('posted_on'))}"])
    if diff.get("status", [None, None])[1] == FilingStatus.FILED:
        return Item("Letter filed on the case as a PDF", facts=[subject])
    if diff.get("status", [None, None])[1] == FilingStatus.FAILED:
        return Item("Letter could not be prepared", facts=[subject, f"Error: {data.get('error')}"])
    return None


def describe_correspondence_email(event) -> Item | None:
    data = event.pgh_data or {}
    status = (event.pgh_diff or {}).get("status", [None, None])[1]
    recipient = data.get("recipient")
    if status == CorrespondenceEmail.Status.SENT:
        return Item(f"Letter emailed to {recipient}")
    if status == CorrespondenceEmail.Status.FAILED:
        return Item(f"Email to {recipient} failed", facts=[f"Error: {data.get('last_error')}"])
    if (
        status == CorrespondenceEmail.Status.QUEUED
        and (event.pgh_diff or {})["status"][0] == CorrespondenceEmail.Status.FAILED
    ):
        return Item(f"Email to {recipient} queued again", facts=["Sent again after it failed"])
    if status == CorrespondenceEmail.Status.CANCELLED:
        return Item(f"Email to {recipient} not sent", facts=[data.get("last_error") or "Cancelled"])
    return None


EVENT_MODELS = {
    Note.pgh_event_model: describe_note,
    Document.pgh_event_model: describe_document,
    Correspondence.pgh_event_model: describe_correspondence,
    CorrespondenceEmail.pgh_event_model: describe_correspondence_email,
}
