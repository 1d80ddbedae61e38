"""Managers approve letters: approve, return for changes, change the council paragraph, reissue,
and approve many at once. Every write of step 3 of the annual process (DOMAIN.md).

Rules:
- only a rendered draft (`ready`) can be approved, and not while it is out of date (its
  snapshot differs from what would be built now): run the review again or reissue it first;
- four eyes (settings.LETTER_FOUR_EYES, on by default): whoever ran the review that queued
  the letter, made this version, last changed it (paragraph, return, reissue) or wrote its
  council paragraph cannot approve it;
- approval re-reads the stored PDF and refuses if its SHA-256 differs from the one recorded
  when it was rendered; from then on the row is frozen (a database trigger) and any change is
  a reissue: a new version, pending and rendered by the render task, the old version
  superseded and kept with its PDF;
- each action locks the letter row (SELECT ... FOR UPDATE) and checks that the letter is still
  the one the manager was looking at (its `stamp`: status, PDF checksum and latest action). The
  loser of a race is told who did what, and when (LetterConflict);
- each action is a LetterEvent, the letter's history.
"""

import hashlib
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from councils.models import Council
from reviews import services
from reviews.models import (
    AnnualLetter,
    CouncilParagraph,
    LetterAction,
    LetterEvent,
    LetterStatus,
    OutboxMessage,
    OutboxStatus,
    ReviewYear,
)
from reviews.selectors import letters_out_of_date
from reviews.snapshots import year_snapshots

Status = LetterStatus
REISSUABLE = (Status.READY, Status.RETURNED, Status.APPROVED, Status.SENT)
ANOTHER_MANAGER = "Another manager must approve it."

STATUS_REASONS = {
    Status.PENDING: "The letter is still being made. Wait for its PDF.",
    Status.RENDERING: "The letter is still being made. Wait for its PDF.",
    Status.FAILED: "The letter could not be made. Retry it from the run's page first.",
    Status.RETURNED: "The letter was returned for changes. Change its paragraph, run the review again or reissue it.",
    Status.APPROVED: "The letter has already been approved.",
    Status.SENT: "The letter has already been approved and sent.",
    Status.SUPERSEDED: "This version has been replaced by a newer one.",
    Status.WITHDRAWN: "The letter has been withdrawn.",
}
OUT_OF_DATE_REASON = (
    "The figures or details have changed since this letter was made. Run the review again or reissue the letter "
    "before approving it."
)
VERBS = {
    LetterAction.APPROVED: "approved this letter",
    LetterAction.RETURNED: "returned this letter for changes",
    LetterAction.PARAGRAPH: "changed this letter's council paragraph",
    LetterAction.REISSUED: "reissued this letter",
    LetterAction.SEND_REQUESTED: "asked for this letter to be sent",
    LetterAction.RESENT: "sent this letter's email again",
}


class LetterConflict(ValidationError):
    """Someone else changed the letter while the manager was looking at it."""


# Reads used by the rules ------------------------------------------------------------------


def letter_stamp(letter: AnnualLetter, last_action_id: int | None) -> str:
    """What a manager saw: a page posts it back and the action is refused if it changed."""
    return f"{letter.status}:{letter.pdf_sha256}:{last_action_id or 0}"


def last_action_ids(letter_ids) -> dict[int, int]:
    return dict(
        LetterEvent.objects.filter(letter_id__in=letter_ids)
        .values("letter_id")
        .annotate(last=Max("pk"))
        .values_list("letter_id", "last")
        .order_by()
    )


def paragraph_authors(review_year: ReviewYear) -> dict[int, int]:
    """Council id -> who last wrote its paragraph for the year."""
    return dict(
        CouncilParagraph.objects.filter(review_year=review_year, updated_by__isnull=False).values_list(
            "council_id", "updated_by_id"
        )
    )


def four_eyes_reasons(letter: AnnualLetter, user, *, paragraph_author_id: int | None = None) -> list[str]:
    """Why `user` may not approve `letter` under the four-eyes rule (empty when relaxed)."""
    if not settings.LETTER_FOUR_EYES or user is None:
        return []
    reasons = []
    if letter.run_id and letter.run.started_by_id == user.pk:
        reasons.append(f"You ran the review that made this letter. {ANOTHER_MANAGER}")
    elif letter.generated_by_id == user.pk:
        reasons.append(f"You made this version of the letter. {ANOTHER_MANAGER}")
    if letter.updated_by_id == user.pk and not reasons:
        reasons.append(f"You last changed this letter. {ANOTHER_MANAGER}")
    if paragraph_author_id == user.pk and letter.snapshot.get("paragraph"):
        reasons.append(f"You wrote this letter's council paragraph. {ANOTHER_MANAGER}")
    return reasons


def approval_blockers(
    letter: AnnualLetter, user, *, out_of_date: bool, paragraph_author_id: int | None = None
) -> list[str]:
    """Every reason `user` cannot approve `letter` now; empty when they can. Pages show these
    instead of the Approve button; letter_approve raises them."""
    if letter.status != Status.READY:
        return [STATUS_REASONS.get(letter.status, "Only a rendered draft can be approved.")]
    reasons = [OUT_OF_DATE_REASON] if out_of_date else []
    return reasons + four_eyes_reasons(letter, user, paragraph_author_id=paragraph_author_id)


def _when(moment) -> str:
    moment = timezone.localtime(moment)
    if moment.date() == timezone.localdate():
        return f"at {moment:%H:%M}"
    return f"on {moment.day} {moment:%B %Y} at {moment:%H:%M}"


def conflict_message(letter: AnnualLetter, by) -> str:
    """'Sam Second approved this letter at 10:42 while you were looking at it.'"""
    event = letter.actions.select_related("by").order_by("-pk").first()
    if event is not None and event.action in VERBS:
        if event.by_id is not None and by is not None and event.by_id == by.pk:
            return f"You already {VERBS[event.action]} {_when(event.at)}."
        who = str(event.by) if event.by_id else "The system"
        return f"{who} {VERBS[event.action]} {_when(event.at)} while you were looking at it."
    return (
        f"This letter changed while you were looking at it (it is now: {letter.get_status_display().lower()}). "
        "Read it again before you act on it."
    )


# Writes --------------------------------------------------------------------------------------


def pdf_read_verified(letter: AnnualLetter) -> bytes:
    """The letter's stored PDF, refused (ValidationError) if it is missing or its SHA-256 is
    not the one recorded when it was rendered."""
    try:
        with storages["private"].open(letter.pdf_name, "rb") as stored:
            data = stored.read()
    except FileNotFoundError:
        raise ValidationError("The letter's PDF is missing from storage. Reissue the letter.") from None
    if not letter.pdf_sha256 or hashlib.sha256(data).hexdigest() != letter.pdf_sha256:
        raise ValidationError(
            "The stored PDF does not match the checksum recorded when it was made. Reissue the letter."
        )
    return data


def event_record(*, letter: AnnualLetter, action: str, by=None, comment: str = "") -> LetterEvent:
    event = LetterEvent(letter=letter, action=action, by=by, comment=comment)
    event.full_clean()
    event.save()
    return event


def _locked(letter_id: int) -> AnnualLetter:
    return (
        AnnualLetter.objects.select_for_update(of=("self",))
        .select_related("run", "review_year", "council")
        .get(pk=letter_id)
    )


def _check_seen(letter: AnnualLetter, seen: str | None, by) -> None:
    if seen is None:
        return
    last = letter.actions.aggregate(last=Max("pk"))["last"]
    if letter_stamp(letter, last) != seen:
        raise LetterConflict(conflict_message(letter, by), code="conflict")


@transaction.atomic
def letter_approve(
    *,
    letter: AnnualLetter,
    by,
    seen: str | None = None,
    out_of_date: set[int] | None = None,
    authors: dict[int, int] | None = None,
) -> AnnualLetter:
    """Approve a rendered draft. Raises LetterConflict if it changed since `seen`, and
    ValidationError with every reason it cannot be approved. `out_of_date` (letters_out_of_date)
    and `authors` (paragraph_authors) can be given when approving many letters of one year."""
    locked = _locked(letter.pk)
    _check_seen(locked, seen, by)
    if out_of_date is None:
        out_of_date = letters_out_of_date(locked.review_year, [locked])
    if authors is None:
        authors = paragraph_authors(locked.review_year)
    reasons = approval_blockers(
        locked, by, out_of_date=locked.pk in out_of_date, paragraph_author_id=authors.get(locked.council_id)
    )
    if reasons:
        raise ValidationError(reasons, code="refused")
    pdf_read_verified(locked)  # the file approved is the file that was rendered
    locked.status, locked.approved_by, locked.approved_at = Status.APPROVED, by, timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    event_record(letter=locked, action=LetterAction.APPROVED, by=by, comment=f"PDF SHA-256 {locked.pdf_sha256}")
    return locked


def _reason(comment: str, message: str) -> str:
    comment = (comment or "").replace("\r\n", "\n").strip()
    if not comment:
        raise ValidationError({"comment": message})
    return comment


@transaction.atomic
def letter_return(*, letter: AnnualLetter, by, comment: str, seen: str | None = None) -> AnnualLetter:
    """Send a draft back for changes with a comment. It cannot be approved until it is made
    again (paragraph changed, review run again) or reissued."""
    comment = _reason(comment, "Say what needs to change")
    locked = _locked(letter.pk)
    _check_seen(locked, seen, by)
    if locked.status != Status.READY:
        raise ValidationError(
            "Only a draft waiting for approval can be returned. "
            + STATUS_REASONS.get(locked.status, "")
            + (" Reissue it to change it." if locked.status in AnnualLetter.ISSUED_STATUSES else ""),
            code="refused",
        )
    locked.status, locked.return_comment, locked.updated_by = Status.RETURNED, comment, by
    locked.full_clean(exclude=["snapshot"])
    locked.save(update_fields=["status", "return_comment", "updated_by", "updated_at"])
    event_record(letter=locked, action=LetterAction.RETURNED, by=by, comment=comment)
    return locked


@transaction.atomic
def letter_paragraph_change(*, review_year: ReviewYear, council: Council, text: str, by) -> CouncilParagraph | None:
    """Set (or with empty text remove) the council paragraph; the draft is made again with it.
    Refused for an approved or sent letter (reissue it)."""
    before = CouncilParagraph.objects.filter(review_year=review_year, council=council).values_list("text", flat=True)
    before = before.first() or ""
    paragraph = services.council_paragraph_set(review_year=review_year, council=council, text=text, by=by)
    after = paragraph.text if paragraph else ""
    letter = (
        AnnualLetter.objects.filter(review_year=review_year, council=council)
        .exclude(status__in=AnnualLetter.NOT_LIVE_STATUSES)
        .first()
    )
    if letter is not None:
        if not before and after:
            comment = "Paragraph added; the letter is being made again."
        elif before and not after:
            comment = "Paragraph removed; the letter is being made again."
        elif before != after:
            comment = "Paragraph changed; the letter is being made again."
        else:
            comment = "Paragraph saved unchanged; the letter is being made again."
        event_record(letter=letter, action=LetterAction.PARAGRAPH, by=by, comment=comment)
    return paragraph


@transaction.atomic
def letter_reissue(*, letter: AnnualLetter, by, comment: str, seen: str | None = None) -> AnnualLetter:
    """Make a new version of a letter from today's figures. The old version is superseded and
    kept with its PDF; its emails not yet sent are cancelled. The new version is rendered by
    the render task and must be approved again (not by whoever reissued it)."""
    comment = _reason(comment, "Say why the letter is reissued")
    locked = _locked(letter.pk)
    _check_seen(locked, seen, by)
    if locked.status not in REISSUABLE:
        raise ValidationError(
            "Only a letter that has been made (draft, returned, approved or sent) can be reissued. "
            + STATUS_REASONS.get(locked.status, ""),
            code="refused",
        )
    snapshot = year_snapshots(locked.review_year).get(locked.council_id)
    if snapshot is None:
        raise ValidationError(f"{locked.council} is not active in {locked.review_year}, so it gets no new letter.")
    latest = AnnualLetter.objects.filter(council_id=locked.council_id, review_year_id=locked.review_year_id).aggregate(
        latest=Max("version")
    )["latest"]
    locked.status, locked.updated_by = Status.SUPERSEDED, by
    locked.save(update_fields=["status", "updated_by", "updated_at"])
    OutboxMessage.objects.filter(letter=locked, status=OutboxStatus.QUEUED).update(
        status=OutboxStatus.CANCELLED, last_error="Not sent: the letter was reissued.", claimed_at=None
    )
    new = AnnualLetter(
        council=locked.council,
        review_year=locked.review_year,
        version=latest + 1,
        status=Status.PENDING,
        snapshot=snapshot,
        generated_by=by,
        updated_by=by,
    )
    new.full_clean()
    new.save()
    event_record(
        letter=locked, action=LetterAction.REISSUED, by=by, comment=f"Reissued as version {new.version}: {comment}"
    )
    transaction.on_commit(partial(services.enqueue, [new.pk]))
    return new


@dataclass
class BulkApproval:
    approved: list[AnnualLetter]
    refused: list[tuple[AnnualLetter, list[str]]]


def letters_approve(*, review_year: ReviewYear, seen: dict[int, str | None], by) -> BulkApproval:
    """Approve many letters of one year, each by the rules of letter_approve and in its own
    short transaction, so one refusal does not hold back the others. The year's statistics
    are computed once for all of them."""
    letters = {
        letter.pk: letter
        for letter in AnnualLetter.objects.filter(review_year=review_year, pk__in=list(seen)).select_related("council")
    }
    live = list(AnnualLetter.objects.filter(pk__in=list(letters)).exclude(status__in=AnnualLetter.NOT_LIVE_STATUSES))
    out_of_date = letters_out_of_date(review_year, live)
    authors = paragraph_authors(review_year)
    result = BulkApproval(approved=[], refused=[])
    for pk in sorted(letters):  # one lock order for every manager: no deadlocks
        letter = letters[pk]
        try:
            approved = letter_approve(
                letter=letter,
                by=by,
                seen=seen[pk],
                out_of_date=out_of_date,
                authors=authors,
            )
        except ValidationError as exc:
            result.refused.append((letter, exc.messages))
        else:
            result.approved.append(approved)
    return result
