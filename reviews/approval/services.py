"""Managers approve letters: approve, return for changes, change the council paragraph, reissue,
and approve many at once. Every write of step 3 of the annual process (DOMAIN.md); who may do
what is reviews.approval.rules'.

- Approval re-reads the stored PDF and refuses if its SHA-256 differs from the one recorded
  when it was rendered; from then on the row is frozen (a database trigger) and any change is
  a reissue: a new version, pending and rendered by the render task, the old version
  superseded and kept with its PDF.
- Each action locks the letter row (SELECT ... FOR UPDATE) and checks that the letter is still
  the one the manager was looking at (its stamp). The loser of a race is told who did what,
  and when (LetterConflict).
- Each action is a LetterEvent, the letter's history (reviews.approval.events).
- Once the year's letter date has come (reviews.delivery.send.letter_date_due), approving a
  letter queues its emails at once, after the approval commits: the page says so beforehand.
"""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from councils.models import Council
from reviews.approval.events import conflict_message, event_record
from reviews.approval.rules import REISSUABLE, STATUS_REASONS, approval_blockers, letter_stamp, paragraph_authors
from reviews.delivery.send import SendRequest, letter_date_due, letters_send
from reviews.letters.render import enqueue, letters_requeue
from reviews.letters.storage import pdf_read_verified
from reviews.models import (
    AnnualLetter,
    CouncilParagraph,
    LetterAction,
    LetterStatus,
    OutboxMessage,
    OutboxStatus,
    ReviewYear,
)
from reviews.selectors import letters_out_of_date
from reviews.statistics.snapshots import correction_part, printed_date, year_snapshots

Status = LetterStatus


class LetterConflict(ValidationError):
    """Someone else changed the letter while the manager was looking at it."""


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
    send_when_due: bool = True,
) -> AnnualLetter:
    """Approve a rendered draft. Raises LetterConflict if it changed since `seen`, and
    ValidationError with every reason it cannot be approved. `out_of_date` (letters_out_of_date)
    and `authors` (paragraph_authors) can be given when approving many letters of one year.
    Once the letter date has come its emails are queued after commit (unless `send_when_due`
    is off: letters_approve sends all of its letters together)."""
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
    if send_when_due and letter_date_due(locked.review_year.letter_date):
        transaction.on_commit(partial(letters_send, review_year=locked.review_year, by=by, letter_ids=[locked.pk]))
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
            + (" Reissue it to change it." if locked.is_issued else ""),
            code="refused",
        )
    locked.status, locked.return_comment, locked.updated_by = Status.RETURNED, comment, by
    locked.full_clean(exclude=["snapshot"])
    locked.save(update_fields=["status", "return_comment", "updated_by", "updated_at"])
    event_record(letter=locked, action=LetterAction.RETURNED, by=by, comment=comment)
    return locked


@transaction.atomic
def council_paragraph_set(*, review_year: ReviewYear, council: Council, text: str, by=None) -> CouncilParagraph | None:
    """Set (or with empty text, remove) the paragraph for one council's letter. A draft letter
    is re-queued with it at once; an approved or sent letter cannot change (reissue it)."""
    letter = AnnualLetter.objects.live().filter(review_year=review_year, council=council).select_for_update().first()
    if letter is not None and letter.is_issued:
        raise ValidationError(
            f"The letter to {council} has been {letter.get_status_display().lower()}, so its paragraph cannot "
            "change. Reissue the letter to change it."
        )
    text = (text or "").replace("\r\n", "\n").strip()
    paragraph = CouncilParagraph.objects.select_for_update().filter(review_year=review_year, council=council).first()
    if not text:
        if paragraph is not None:
            paragraph.delete()
        paragraph = None
    else:
        paragraph = paragraph or CouncilParagraph(review_year=review_year, council=council)
        paragraph.text, paragraph.updated_by = text, by
        paragraph.full_clean()
        paragraph.save()
    if letter is not None:
        letters_requeue([letter], year_snapshots(review_year), by=by, run=letter.run)
    return paragraph


@transaction.atomic
def letter_paragraph_change(*, review_year: ReviewYear, council: Council, text: str, by) -> CouncilParagraph | None:
    """Set (or with empty text remove) the council paragraph; the draft is made again with it.
    Refused for an approved or sent letter (reissue it)."""
    before = CouncilParagraph.objects.filter(review_year=review_year, council=council).values_list("text", flat=True)
    before = before.first() or ""
    paragraph = council_paragraph_set(review_year=review_year, council=council, text=text, by=by)
    after = paragraph.text if paragraph else ""
    letter = AnnualLetter.objects.live().filter(review_year=review_year, council=council).first()
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
    if locked.sent_at is not None:  # a correction of the letter the council has
        snapshot["correction"] = correction_part(
            replaces=printed_date(locked.snapshot), reason=comment, date=timezone.localdate().isoformat()
        )
    elif "correction" in locked.snapshot:  # the unsent correction it replaces still corrects the same letter
        snapshot["correction"] = locked.snapshot["correction"] | {
            "reason": comment,
            "date": timezone.localdate().isoformat(),
        }
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
    transaction.on_commit(partial(enqueue, [new.pk]))
    return new


@dataclass
class BulkApproval:
    approved: list[AnnualLetter]
    refused: list[tuple[AnnualLetter, list[str]]]
    sent: SendRequest | None = None  # the emails queued at once, past the letter date


def letters_approve(*, review_year: ReviewYear, seen: dict[int, str | None], by) -> BulkApproval:
    """Approve many letters of one year, each by the rules of letter_approve and in its own
    short transaction, so one refusal does not hold back the others. The year's statistics
    are computed once for all of them."""
    letters = {
        letter.pk: letter
        for letter in AnnualLetter.objects.filter(review_year=review_year, pk__in=list(seen)).select_related("council")
    }
    live = list(AnnualLetter.objects.live().filter(pk__in=list(letters)))
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
                send_when_due=False,
            )
        except ValidationError as exc:
            result.refused.append((letter, exc.messages))
        else:
            result.approved.append(approved)
    if result.approved and letter_date_due(review_year.letter_date):
        result.sent = letters_send(review_year=review_year, by=by, letter_ids=[letter.pk for letter in result.approved])
    return result
