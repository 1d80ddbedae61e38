"""Who may approve a letter, and when: the rules the pages show and the services enforce.

- Only a rendered draft (`ready`) can be approved, and not while it is out of date (its
  snapshot differs from what would be built now): run the review again or reissue it first.
- Four eyes (settings.LETTER_FOUR_EYES, on by default): whoever ran the review that queued the
  letter, made this version, last changed it (paragraph, return, reissue) or wrote its council
  paragraph cannot approve it.
- A manager acts on the letter they saw: its `stamp` (status, PDF checksum, latest action) is
  posted back and the action is refused if it changed meanwhile (reviews.approval.services).
"""

from django.conf import settings

from reviews.models import AnnualLetter, CouncilParagraph, LetterStatus, ReviewYear

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


def letter_stamp(letter: AnnualLetter, last_action_id: int | None) -> str:
    """What a manager saw: a page posts it back and the action is refused if it changed."""
    return f"{letter.status}:{letter.pdf_sha256}:{last_action_id or 0}"


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
