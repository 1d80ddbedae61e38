"""Reads of the annual review shared by pages, commands, the council portal and the public pages.

What is public: a review year is public while it is published (`published_at`, set in one step
by reviews.publication.services, never derived from its letters). Every public read goes through
`published_years()` / `published_letters()` / `is_published()` (ReviewYear.objects.published()),
so nothing of a year shows before that moment, however many of its letters have been sent, and
everything shows after it. A council's letter for a year is the latest version that was sent
(AnnualLetter.objects.latest_sent()): never a withdrawn letter, a draft or an approved letter
not yet sent.

The managers' letter pages read figures from each letter's snapshot (JSON), never from
casework, so a page of letters is a fixed number of queries whatever its length.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, DecimalField, IntegerField, Max, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from ombudsman import formatting
from reviews import policy
from reviews.models import (
    AnnualLetter,
    LetterEvent,
    LetterStatus,
    OutboxMessage,
    OutboxStatus,
    ReviewRun,
    ReviewYear,
)
from reviews.statistics.snapshots import differs, year_snapshots

Status = LetterStatus
LIVE = ~Q(letters__status__in=AnnualLetter.NOT_LIVE_STATUSES)


def _letter_count(*statuses) -> Count:
    return Count("letters", filter=Q(letters__status__in=statuses))


def review_year_list() -> QuerySet[ReviewYear]:
    """Every review year with its letters counted by status (one query)."""
    return ReviewYear.objects.annotate(
        letters_total=Count("letters", filter=LIVE),
        letters_waiting=_letter_count(Status.PENDING, Status.RENDERING),
        letters_ready=_letter_count(Status.READY),
        letters_failed=_letter_count(Status.FAILED),
        letters_approved=_letter_count(Status.APPROVED),
        letters_sent=_letter_count(Status.SENT),
    ).order_by("-label")


def review_year_counts(review_year: ReviewYear) -> ReviewYear:
    return review_year_list().get(pk=review_year.pk)


@dataclass(frozen=True)
class YearStatus:
    text: str
    tag: str  # GOV.UK tag colour modifier


def year_status(review_year: ReviewYear) -> YearStatus:
    """From a year annotated by review_year_list()."""
    if review_year.published_at:
        return YearStatus("Published", "green")
    if not review_year.letters_total:
        return YearStatus("Not started", "grey")
    if review_year.letters_waiting:
        return YearStatus("Running", "blue")
    if review_year.letters_sent:
        return YearStatus("Sent", "green")
    if review_year.letters_failed:
        return YearStatus("Some letters failed", "red")
    if review_year.letters_approved:
        return YearStatus(f"{review_year.letters_approved} approved", "turquoise")
    return YearStatus("Letters ready", "turquoise")


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    failed: int
    waiting: int
    started_at: object
    elapsed_seconds: float
    remaining_seconds: float | None
    stopped: int = 0  # waiting letters claimed by a worker that has stopped (killed mid-render)
    stopped_minutes: int = 0  # the sweep renders them again within this many minutes

    @property
    def finished(self) -> bool:
        return self.waiting == 0

    @property
    def percent(self) -> int:
        """Of the letters done or failed; never 100 while one is still waiting."""
        if not self.total:
            return 100
        percent = round(100 * (self.done + self.failed) / self.total)
        return min(percent, 99) if self.waiting else percent

    @property
    def remaining_text(self) -> str:
        """ "About 29 minutes left." while letters are rendering ("" before an estimate and when finished)."""
        if self.finished or self.remaining_seconds is None:
            return ""
        return f"About {formatting.duration(self.remaining_seconds)} left."

    @property
    def stopped_text(self) -> str:
        """What the run waits for when a worker stopped mid-render ("" when none did)."""
        if not self.stopped:
            return ""
        letters = (
            "1 letter a stopped worker left; it is"
            if self.stopped == 1
            else f"{self.stopped} letters stopped workers left; they are"
        )
        minutes = "1 minute" if self.stopped_minutes == 1 else f"{self.stopped_minutes} minutes"
        return f"Waiting for {letters} picked up again within {minutes}."

    def as_json(self) -> dict:
        return {
            "total": self.total,
            "done": self.done,
            "failed": self.failed,
            "waiting": self.waiting,
            "finished": self.finished,
            "percent": self.percent,
            "elapsed_seconds": round(self.elapsed_seconds, 1),
            "remaining_seconds": None if self.remaining_seconds is None else round(self.remaining_seconds),
            "stopped": self.stopped,
            "remaining_text": self.remaining_text,
            "stopped_text": self.stopped_text,
        }


def run_progress(run: ReviewRun) -> Progress:
    """Done / failed / waiting among the letters this run queued, with an estimate of the time left.

    A letter claimed longer ago than the render's hard time limit has no live worker (its worker
    was killed): it waits for the sweep, which renders it again within policy.RECOVERED_WITHIN of
    the claim. Those are counted apart, and the time left is estimated over the others only.
    """
    now = timezone.now()
    stopped = Q(status=Status.RENDERING, claimed_at__lt=now - datetime.timedelta(seconds=policy.RENDER_TIME_LIMIT))
    counts = AnnualLetter.objects.filter(run=run).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status__in=AnnualLetter.WITH_PDF_STATUSES)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        waiting=Count("pk", filter=Q(status__in=(Status.PENDING, Status.RENDERING))),
        stopped=Count("pk", filter=stopped),
        last_stopped_claim=Max("claimed_at", filter=stopped),
    )
    elapsed = (now - run.started_at).total_seconds()
    finished = counts["done"] + counts["failed"]
    moving = counts["waiting"] - counts["stopped"]
    remaining = None
    if moving and finished:
        remaining = elapsed / finished * moving
    elif not counts["waiting"]:
        remaining = 0.0
    stopped_minutes = 0
    if counts["stopped"]:
        left = (counts["last_stopped_claim"] + policy.RECOVERED_WITHIN - now).total_seconds()
        stopped_minutes = max(1, math.ceil(left / 60))
    return Progress(
        total=counts["total"],
        done=counts["done"],
        failed=counts["failed"],
        waiting=counts["waiting"],
        started_at=run.started_at,
        elapsed_seconds=elapsed,
        remaining_seconds=remaining,
        stopped=counts["stopped"],
        stopped_minutes=stopped_minutes,
    )


def run_failures(run: ReviewRun) -> QuerySet[AnnualLetter]:
    return (
        AnnualLetter.objects.filter(run=run, status=Status.FAILED)
        .select_related("council")
        .order_by("council__sort_name")
    )


def latest_run(review_year: ReviewYear) -> ReviewRun | None:
    return review_year.runs.order_by("-started_at").first()


def live_letters(review_year: ReviewYear) -> QuerySet[AnnualLetter]:
    return (
        AnnualLetter.objects.live()
        .filter(review_year=review_year)
        .select_related("council")
        .order_by("council__sort_name")
    )


def letters_out_of_date(review_year: ReviewYear, letters=None) -> set[int]:
    """Ids of live letters whose snapshot differs from what would be built now (a handful of queries)."""
    letters = live_letters(review_year) if letters is None else letters
    snapshots = year_snapshots(review_year)
    return {letter.pk for letter in letters if differs(letter.snapshot, snapshots.get(letter.council_id))}


def letter_latest(*, review_year: ReviewYear, gss_code: str) -> AnnualLetter | None:
    """The latest version of a council's letter for the year, whatever its status."""
    return (
        AnnualLetter.objects.filter(review_year=review_year, council__gss_code=gss_code)
        .select_related("council", "review_year")
        .order_by("-version")
        .first()
    )


# The managers' letter pages ----------------------------------------------------------------


def snapshot_count(name: str) -> Cast:
    """A count of the letter's snapshot as a number (to sort, filter and sum in SQL)."""
    return Cast(KT(f"snapshot__counts__{name}"), IntegerField())


def snapshot_figure(name: str) -> Cast:
    """A figure of the snapshot as a number: percentages are whole numbers, per 100,000 has one decimal."""
    output = DecimalField(max_digits=9, decimal_places=1) if name == "upheld_per_100k" else IntegerField()
    return Cast(KT(f"snapshot__figures__{name}"), output)


HEADLINE_FIGURES = ("uphold_rate", "compliance_rate", "satisfactory_rate", "upheld_per_100k")


def headline_figures() -> dict[str, Cast]:
    """The letters' headline figures as annotations named after them (the managers' letters table,
    the public table of councils)."""
    return {name: snapshot_figure(name) for name in HEADLINE_FIGURES}


def letter_list(review_year: ReviewYear) -> QuerySet[AnnualLetter]:
    """The year's live letters with their headline figures as sortable columns."""
    return (
        AnnualLetter.objects.live()
        .filter(review_year=review_year)
        .select_related("council", "review_year", "approved_by")
        .defer("snapshot")
        .annotate(
            **headline_figures(),
            # The complaint overview (2024-25 format; empty before: those letters did not freeze it).
            dealt_with=snapshot_count("dealt_with"),
            not_for_us=snapshot_count("not_for_us"),
            assessed_closed=snapshot_count("assessed_closed"),
            investigations=snapshot_count("investigations"),
        )
        .order_by("council__sort_name")
    )


def live_snapshots(review_year: ReviewYear) -> QuerySet[AnnualLetter]:
    """Only what letters_out_of_date compares (id, council, snapshot): half the time of whole rows."""
    return AnnualLetter.objects.live().filter(review_year=review_year).only("pk", "council_id", "snapshot").order_by()


def letter_for_page(review_year: ReviewYear, pk: int) -> AnnualLetter | None:
    return (
        AnnualLetter.objects.filter(pk=pk, review_year=review_year)
        .select_related("council", "review_year", "approved_by", "generated_by", "updated_by", "run", "run__started_by")
        .first()
    )


def letter_versions(letter: AnnualLetter) -> QuerySet[AnnualLetter]:
    """Every version of this council's letter for the year, newest first."""
    return (
        AnnualLetter.objects.filter(council_id=letter.council_id, review_year_id=letter.review_year_id)
        .select_related("approved_by", "council", "review_year")
        .defer("snapshot")
        .order_by("-version")
    )


def letter_history(letter: AnnualLetter) -> QuerySet[LetterEvent]:
    """The actions on every version of this council's letter for the year, newest first."""
    return (
        LetterEvent.objects.filter(letter__council_id=letter.council_id, letter__review_year_id=letter.review_year_id)
        .select_related("by", "letter")
        .defer("letter__snapshot")
        .order_by("-at", "-pk")
    )


def letter_emails(letter: AnnualLetter) -> QuerySet[OutboxMessage]:
    return (
        OutboxMessage.objects.filter(letter=letter).select_related("requested_by").order_by("-kind", "role", "pk")
    )  # "to" first


def year_emails(review_year: ReviewYear) -> dict[str, int]:
    """How many of the year's emails are in each state (one query)."""
    return OutboxMessage.objects.filter(letter__review_year=review_year).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in OutboxStatus.values}
    )


# Publication ---------------------------------------------------------------------------------


def local_today() -> datetime.date:
    """Today in the site's time zone (Europe/London): publication dates are local days."""
    return timezone.localdate()


def sent_letters() -> QuerySet[AnnualLetter]:
    """Each council's current sent letter per year: the latest version that was sent."""
    return AnnualLetter.objects.latest_sent()


def published_years() -> QuerySet[ReviewYear]:
    """Published years (ReviewYear.objects.published()), newest first."""
    return ReviewYear.objects.published().order_by("-label")


def withdrawn_years() -> QuerySet[ReviewYear]:
    """Years withdrawn after publication and not republished, newest first (public notices)."""
    return ReviewYear.objects.withdrawn().order_by("-label")


def is_published(review_year: ReviewYear) -> bool:
    return published_years().filter(pk=review_year.pk).exists()


def published_letters() -> QuerySet[AnnualLetter]:
    """Sent letters of published years (AnnualLetter.objects.published())."""
    return AnnualLetter.objects.published()
