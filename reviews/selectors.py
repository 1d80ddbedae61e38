"""Reads of the annual review for pages, commands and later the portal and public pages."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from reviews.models import AnnualLetter, LetterStatus, ReviewRun, ReviewYear
from reviews.snapshots import year_snapshots

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

    @property
    def finished(self) -> bool:
        return self.waiting == 0

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.done + self.failed) / self.total)

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
        }


def run_progress(run: ReviewRun) -> Progress:
    """Done / failed / waiting among the letters this run queued, with an estimate of the time left."""
    counts = AnnualLetter.objects.filter(run=run).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status__in=AnnualLetter.WITH_PDF_STATUSES)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        waiting=Count("pk", filter=Q(status__in=(Status.PENDING, Status.RENDERING))),
    )
    elapsed = (timezone.now() - run.started_at).total_seconds()
    finished = counts["done"] + counts["failed"]
    remaining = None
    if counts["waiting"] and finished:
        remaining = elapsed / finished * counts["waiting"]
    elif not counts["waiting"]:
        remaining = 0.0
    return Progress(
        total=counts["total"],
        done=counts["done"],
        failed=counts["failed"],
        waiting=counts["waiting"],
        started_at=run.started_at,
        elapsed_seconds=elapsed,
        remaining_seconds=remaining,
    )


def run_failures(run: ReviewRun) -> QuerySet[AnnualLetter]:
    return (
        AnnualLetter.objects.filter(run=run, status=Status.FAILED).select_related("council").order_by("council__name")
    )


def latest_run(review_year: ReviewYear) -> ReviewRun | None:
    return review_year.runs.order_by("-started_at").first()


def live_letters(review_year: ReviewYear) -> QuerySet[AnnualLetter]:
    return (
        AnnualLetter.objects.filter(review_year=review_year)
        .exclude(status__in=AnnualLetter.NOT_LIVE_STATUSES)
        .select_related("council")
        .order_by("council__name")
    )


def letters_out_of_date(review_year: ReviewYear, letters=None) -> set[int]:
    """Ids of live letters whose snapshot differs from what would be built now (a handful of queries)."""
    letters = live_letters(review_year) if letters is None else letters
    snapshots = year_snapshots(review_year)
    return {letter.pk for letter in letters if letter.snapshot != snapshots.get(letter.council_id)}


def letter_latest(*, review_year: ReviewYear, gss_code: str) -> AnnualLetter | None:
    """The latest version of a council's letter for the year, whatever its status."""
    return (
        AnnualLetter.objects.filter(review_year=review_year, council__gss_code=gss_code)
        .select_related("council", "review_year")
        .order_by("-version")
        .first()
    )
