"""Running a review and rendering its letters: the run, the queue, the render, the sweep.

A letter row is the state machine of its rendering: pending -> rendering -> ready | failed.
A worker claims a row with a conditional UPDATE (only one claimant wins), renders with no
lock held, writes the PDF under a temporary name, and in a short transaction that re-checks
its claim renames the file into place and marks the row ready. So running a review twice,
a task delivered twice or a worker killed mid-render never gives duplicate letters or a
half-written PDF under a letter's name. A periodic sweep puts rows stuck in `rendering`
(their worker died) back to pending and re-queues them; every render counts an attempt and
a letter that fails MAX_ATTEMPTS times is marked failed.

Figures are frozen in the letter's snapshot when it is queued. Re-running a review renders
only what is missing, failed or out of date; approved and sent letters are never changed
(out of date ones need a reissue, which makes a new version).
"""

import datetime
import hashlib
import logging
import multiprocessing
from collections.abc import Callable, Iterable
from functools import partial

from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F, Max
from django.utils import timezone

from reviews.letters import pdf, storage
from reviews.models import AnnualLetter, LetterStatus, ReviewRun, ReviewYear
from reviews.policy import ERROR_MAX_CHARS, MAX_ATTEMPTS, STUCK_AFTER
from reviews.statistics.quality import QualityReport, year_quality
from reviews.statistics.snapshots import refreshed, year_snapshots
from reviews.tasks import letter_render_task

logger = logging.getLogger(__name__)

Status = LetterStatus


class ReviewBlocked(Exception):
    """The data-quality check found blocking problems; nothing was queued."""

    def __init__(self, report: QualityReport):
        self.report = report
        super().__init__(f"{len(report.blocking)} blocking problem(s) in the data")


# Runs ----------------------------------------------------------------------------------------


def review_run_start(*, review_year: ReviewYear, by=None, dispatch: bool = True) -> ReviewRun:
    """Check the data, compute the statistics and queue a letter per active council that needs
    one (missing, failed or out of date). Safe to call twice. Raises ReviewBlocked.

    With dispatch=False nothing is sent to the workers: the caller renders the run's pending
    letters itself (the run_review command without a broker)."""
    report = year_quality(review_year)
    if not report.can_run:
        raise ReviewBlocked(report)
    with transaction.atomic():
        # One run at a time per year: the second waits here, then finds nothing left to queue.
        review_year = ReviewYear.objects.select_for_update().get(pk=review_year.pk)
        snapshots = year_snapshots(review_year)
        run = ReviewRun.objects.create(review_year=review_year, started_by=by)
        letters = list(AnnualLetter.objects.filter(review_year=review_year).select_for_update())
        live = {letter.council_id: letter for letter in letters if letter.is_live}
        versions = {
            row["council_id"]: row["latest"]
            for row in AnnualLetter.objects.filter(review_year=review_year)
            .values("council_id")
            .annotate(latest=Max("version"))
            .order_by()
        }
        AnnualLetter.objects.bulk_create(
            [
                AnnualLetter(
                    council_id=council_id,
                    review_year=review_year,
                    version=versions.get(council_id, 0) + 1,
                    snapshot=snapshot,
                    run=run,
                    generated_by=by,
                    updated_by=by,
                )
                for council_id, snapshot in snapshots.items()
                if council_id not in live
            ],
            ignore_conflicts=True,  # a concurrent run already made it: (council, year, version) is unique
        )
        stale_claim = timezone.now() - STUCK_AFTER
        requeue = []
        for council_id, letter in live.items():
            snapshot = snapshots.get(council_id)
            if snapshot is None:  # the council is no longer active in the year
                continue
            if (
                letter.status in (Status.PENDING, Status.FAILED)
                or (
                    letter.status in (Status.READY, Status.RETURNED)
                    and letter.snapshot != refreshed(letter.snapshot, snapshot)
                )
                or (letter.status == Status.RENDERING and letter.claimed_at and letter.claimed_at < stale_claim)
            ):
                requeue.append(letter)
        letters_requeue(requeue, snapshots, by=by, run=run, dispatch=False)
        queued = list(
            AnnualLetter.objects.filter(run=run, status=Status.PENDING).order_by("pk").values_list("pk", flat=True)
        )
        run.queued = len(queued)
        run.save(update_fields=["queued"])
        if dispatch:
            transaction.on_commit(partial(enqueue, queued))
    return run


def letters_requeue(letters: list[AnnualLetter], snapshots: dict, *, by, run, dispatch: bool = True) -> list[int]:
    """Put draft letters back to pending with a fresh snapshot (same version). Call in a transaction."""
    now = timezone.now()
    changed = []
    for letter in letters:
        if letter.status not in AnnualLetter.DRAFT_STATUSES or letter.council_id not in snapshots:
            continue
        letter.status, letter.error = Status.PENDING, ""
        letter.snapshot = refreshed(letter.snapshot, snapshots[letter.council_id])
        letter.claimed_at, letter.attempts, letter.run, letter.updated_by = None, 0, run, by
        letter.updated_at = now
        changed.append(letter)
    AnnualLetter.objects.bulk_update(
        changed, ["status", "snapshot", "error", "claimed_at", "attempts", "run", "updated_by", "updated_at"]
    )
    ids = [letter.pk for letter in changed]
    if dispatch and ids:
        transaction.on_commit(partial(enqueue, ids))
    return ids


def enqueue(letter_ids: list[int]) -> None:
    """Send each letter to the render task. Without a broker the task runs here and now."""
    for letter_id in letter_ids:
        try:
            letter_render_task.delay(letter_id)
        except Exception:  # the row stays pending (or was marked failed by the task); the sweep re-queues it
            logger.exception("Could not queue or render letter %s", letter_id)


@transaction.atomic
def letters_retry(*, letters: list[AnnualLetter], by=None) -> list[int]:
    """Re-queue failed letters (the retry action on the run page)."""
    if not letters:
        return []
    review_year = letters[0].review_year
    locked = list(
        AnnualLetter.objects.select_for_update().filter(pk__in=[letter.pk for letter in letters], status=Status.FAILED)
    )
    return letters_requeue(locked, year_snapshots(review_year), by=by, run=locked[0].run if locked else None)


# Rendering -----------------------------------------------------------------------------------


def letter_render(*, letter_id: int) -> bool:
    """Render one pending letter to PDF if this call wins the claim. Returns whether it rendered."""
    claim = timezone.now()
    claimed = AnnualLetter.objects.filter(pk=letter_id, status=Status.PENDING, attempts__lt=MAX_ATTEMPTS).update(
        status=Status.RENDERING, claimed_at=claim, attempts=F("attempts") + 1, error=""
    )
    if not claimed:
        AnnualLetter.objects.filter(pk=letter_id, status=Status.PENDING, attempts__gte=MAX_ATTEMPTS).update(
            status=Status.FAILED, error=f"Stopped after {MAX_ATTEMPTS} attempts to render this letter."
        )
        return False
    letter = AnnualLetter.objects.only("pk", "version", "snapshot").get(pk=letter_id)
    temporary = None
    try:
        data = pdf.letter_pdf(letter.snapshot)
        temporary = storage.write_temporary(letter, data)
        with transaction.atomic():
            still_ours = (
                AnnualLetter.objects.select_for_update()
                .filter(pk=letter_id, status=Status.RENDERING, claimed_at=claim)
                .exists()
            )
            if not still_ours:  # swept or re-queued meanwhile: a newer render owns the file name
                temporary.unlink(missing_ok=True)
                return False
            name = storage.move_into_place(temporary, letter)
            AnnualLetter.objects.filter(pk=letter_id).update(
                status=Status.READY,
                pdf_name=name,
                pdf_sha256=hashlib.sha256(data).hexdigest(),
                pdf_size=len(data),
                generated_at=timezone.now(),
                claimed_at=None,
                error="",
            )
    except Exception:
        # Give the claim back so a retry can take it (the database may have gone away in the
        # final transaction: the retry must not find the letter claimed by this dead attempt);
        # the task marks it failed after its last retry.
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        _release_claim(letter_id, claim)
        raise
    return True


def _release_claim(letter_id: int, claim: datetime.datetime) -> None:
    """Put a letter this render claimed back to pending. If the connection died with the error,
    once more on a new one; if the database is still away, the sweep does it later."""
    for attempt in (1, 2):
        try:
            AnnualLetter.objects.filter(pk=letter_id, status=Status.RENDERING, claimed_at=claim).update(
                status=Status.PENDING, claimed_at=None
            )
            return
        except DatabaseError:
            if attempt == 2 or connection.in_atomic_block:
                logger.warning("Could not give back the claim on letter %s; the sweep will", letter_id)
                return
            connection.close()


def letter_mark_failed(*, letter_id: int, error: str) -> bool:
    """Record that a letter could not be rendered (after the task's last retry)."""
    return bool(
        AnnualLetter.objects.filter(pk=letter_id, status__in=(Status.PENDING, Status.RENDERING)).update(
            status=Status.FAILED, error=(error or "Unknown error")[:ERROR_MAX_CHARS], claimed_at=None
        )
    )


def letters_sweep_stuck(*, now: datetime.datetime | None = None) -> list[int]:
    """Re-queue letters whose worker died mid-render (rendering for longer than STUCK_AFTER) and
    pending letters that waited that long (their message was lost); remove temporary files
    left by killed workers. Returns the ids re-queued."""
    now = now or timezone.now()
    cutoff = now - STUCK_AFTER
    with transaction.atomic():
        stuck = list(
            AnnualLetter.objects.select_for_update(skip_locked=True)
            .filter(status=Status.RENDERING, claimed_at__lt=cutoff)
            .values_list("pk", flat=True)
        )
        waiting = list(
            AnnualLetter.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, updated_at__lt=cutoff)
            .values_list("pk", flat=True)
        )
        AnnualLetter.objects.filter(pk__in=stuck).update(status=Status.PENDING, claimed_at=None, updated_at=now)
        AnnualLetter.objects.filter(pk__in=waiting).update(updated_at=now)
        ids = stuck + waiting
        if ids:
            transaction.on_commit(partial(enqueue, ids))
    storage.remove_stale_temporaries(cutoff)
    if ids:
        logger.info("Re-queued %s stuck letter(s)", len(ids))
    return ids


# Rendering here, without a broker ---------------------------------------------------------
# Used by `run_review` when no broker is configured and by the benchmarks. Each letter goes
# through the render task's own code (claim, retries, failure marking), so the result is the
# same as through the Celery workers.


def render_one(letter_id: int) -> int:
    # Eager retries re-run the task in this process only if errors do not propagate; the
    # setting is the app's, so it is put back for whatever runs tasks in this process next.
    conf = letter_render_task.app.conf
    propagates = conf.task_eager_propagates
    conf.task_eager_propagates = False
    try:
        letter_render_task.apply(args=[letter_id], throw=False)
    finally:
        conf.task_eager_propagates = propagates
    return letter_id


def _child_start() -> None:
    connections.close_all()  # never share the parent's database connection


def render_locally(
    letter_ids: Iterable[int], *, processes: int = 1, progress: Callable[[int], None] | None = None
) -> None:
    """Render the letters with `processes` forked processes (1: in this process)."""
    letter_ids = list(letter_ids)
    if processes > 1 and len(letter_ids) > 1:
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with context.Pool(processes, initializer=_child_start) as pool:
            for done, _ in enumerate(pool.imap_unordered(render_one, letter_ids, chunksize=2), start=1):
                if progress:
                    progress(done)
    else:
        for done, letter_id in enumerate(letter_ids, start=1):
            render_one(letter_id)
            if progress:
                progress(done)
