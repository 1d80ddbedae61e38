"""What stands between a review year and its publication (DOMAIN.md "Publication").

A year can be published on or after its publication date (today in Europe/London) once every
council active in the year has a sent letter or a reason recorded by a manager why not. The
checklist puts every active council in one of three groups: sent (a version of its letter was
sent), approved (approved, not sent yet) and not sent (no letter, or a draft); a council of the
last two groups without a reason is what is missing. Four queries, whatever the year's size.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from councils.models import Council
from reviews.models import AnnualLetter, LetterStatus, NoLetterReason, ReviewYear


@dataclass(frozen=True)
class CouncilLine:
    council: Council
    letter: AnnualLetter | None  # the live letter (None without one); for "sent", the sent version
    reason: NoLetterReason | None

    @property
    def status_text(self) -> str:
        return self.letter.get_status_display() if self.letter is not None else "No letter"


@dataclass(frozen=True)
class Checklist:
    review_year: ReviewYear
    today: datetime.date
    sent: list[CouncilLine]
    approved: list[CouncilLine]
    not_sent: list[CouncilLine]

    @property
    def date_has_come(self) -> bool:
        return self.today >= self.review_year.publication_date

    @property
    def without_letter(self) -> list[CouncilLine]:
        """Active councils with no sent letter, approved first."""
        return self.approved + self.not_sent

    @property
    def has_letters(self) -> bool:
        """Some council has a letter (sent, approved or a draft): before the first run none has."""
        return bool(self.sent) or any(line.letter is not None for line in self.without_letter)

    @property
    def missing(self) -> list[CouncilLine]:
        """Councils with no sent letter and no reason: each one holds publication back."""
        return [line for line in self.without_letter if line.reason is None]

    @property
    def complete(self) -> bool:
        """Every active council is sent or has a reason (the date aside)."""
        return not self.missing

    @property
    def can_publish(self) -> bool:
        return not self.review_year.is_published and self.date_has_come and self.complete

    def blockers(self) -> list[str]:
        """Why the year cannot be published now (empty when it can)."""
        if self.review_year.is_published:
            return [f"{self.review_year.label} is already published."]
        reasons = []
        if not self.date_has_come:
            reasons.append(
                f"The publication date has not come: {self.review_year.label} can be published from "
                f"{self.review_year.publication_date:%-d %B %Y}."
            )
        if self.missing:
            names = ", ".join(line.council.formal_name for line in self.missing[:10])
            more = f" and {len(self.missing) - 10} more" if len(self.missing) > 10 else ""
            reasons.append(
                f"{len(self.missing)} council{'s' if len(self.missing) != 1 else ''} without a sent letter "
                f"or a reason why not: {names}{more}."
            )
        return reasons


def active_councils(review_year: ReviewYear):
    period = review_year.period
    return Council.objects.active_between(period.start, period.end).order_by("name", "gss_code")


def publication_checklist(review_year: ReviewYear, *, today: datetime.date | None = None) -> Checklist:
    today = today or timezone.localdate()
    sent = {
        letter.council_id: letter
        for letter in AnnualLetter.objects.latest_sent().filter(review_year=review_year).defer("snapshot")
    }
    live = {
        letter.council_id: letter
        for letter in AnnualLetter.objects.live().filter(review_year=review_year).defer("snapshot")
    }
    reasons = {reason.council_id: reason for reason in NoLetterReason.objects.filter(review_year=review_year)}
    groups: dict[str, list[CouncilLine]] = {"sent": [], "approved": [], "not_sent": []}
    for council in active_councils(review_year):
        if council.pk in sent:
            groups["sent"].append(CouncilLine(council, sent[council.pk], None))
            continue
        letter = live.get(council.pk)
        group = "approved" if letter is not None and letter.status == LetterStatus.APPROVED else "not_sent"
        groups[group].append(CouncilLine(council, letter, reasons.get(council.pk)))
    return Checklist(review_year=review_year, today=today, **groups)
