"""Every write of the annual review: review years, council paragraphs, runs and letter rendering.

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

import contextlib
import datetime
import hashlib
import logging
import os
import tempfile
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from councils.models import Council
from reviews import pdf
from reviews.models import AnnualLetter, CouncilParagraph, LetterStatus, ReviewRun, ReviewYear, letter_storage_name
from reviews.policy import ERROR_MAX_CHARS, MAX_ATTEMPTS, STUCK_AFTER
from reviews.quality import QualityReport, year_quality
from reviews.snapshots import year_snapshots
from reviews.tasks import letter_render_task

logger = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"

Status = LetterStatus


class ReviewBlocked(Exception):
    """The data-quality check found blocking problems; nothing was queued."""

    def __init__(self, report: QualityReport):
        self.report = report
        super().__init__(f"{len(report.blocking)} blocking problem(s) in the data")


# Review years ------------------------------------------------------------------------------

YEAR_FIELDS = (
    "letter_date",
    "publication_date",
    "signatory_name",
    "signatory_title",
    "signatory_title_2",
    "average_method",
    "letter_format",
    "population_year",
    "intro",
    "reading_statistics",
    "resources",
    "closing",
)


def review_year_locked(review_year: ReviewYear) -> bool:
    """Once a letter is approved or sent, the year's letter settings are fixed."""
    return review_year.letters.filter(status__in=AnnualLetter.ISSUED_STATUSES).exists()


def _clean_text(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


@transaction.atomic
def review_year_create(*, label: str, by=None, **values) -> ReviewYear:
    review_year = ReviewYear(label=label.strip(), created_by=by, updated_by=by)
    for name, value in values.items():
        if name not in YEAR_FIELDS:
            raise TypeError(f"Unknown review year field {name!r}")
        setattr(review_year, name, _clean_text(value))
    review_year.full_clean()
    review_year.save()
    return review_year


@transaction.atomic
def review_year_update(*, review_year: ReviewYear, by=None, **values) -> ReviewYear:
    """Change a year's settings. Raises ValidationError once any of its letters is approved."""
    review_year = ReviewYear.objects.select_for_update().get(pk=review_year.pk)
    values = {name: _clean_text(value) for name, value in values.items()}
    unknown = set(values) - set(YEAR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown review year field(s): {', '.join(sorted(unknown))}")
    changed = [name for name, value in values.items() if getattr(review_year, name) != value]
    if not changed:
        return review_year
    if review_year_locked(review_year):
        raise ValidationError(
            f"Letters for {review_year.label} have been approved, so the year's settings can no longer be changed."
        )
    for name in changed:
        setattr(review_year, name, values[name])
    review_year.updated_by = by
    review_year.full_clean()
    review_year.save(update_fields=[*changed, "updated_by", "updated_at"])
    return review_year


# Council paragraphs ------------------------------------------------------------------------


@transaction.atomic
def council_paragraph_set(*, review_year: ReviewYear, council: Council, text: str, by=None) -> CouncilParagraph | None:
    """Set (or with empty text, remove) the paragraph for one council's letter. A draft letter
    is re-queued with it at once; an approved or sent letter cannot change (reissue it)."""
    letter = _live_letter(review_year, council, lock=True)
    if letter is not None and letter.status in AnnualLetter.ISSUED_STATUSES:
        raise ValidationError(
            f"The letter to {council} has been {letter.get_status_display().lower()}, so its paragraph cannot "
            "change. Reissue the letter to change it."
        )
    text = _clean_text(text or "")
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
        _requeue([letter], year_snapshots(review_year), by=by, run=letter.run)
    return paragraph


def _live_letter(review_year: ReviewYear, council: Council, *, lock: bool = False) -> AnnualLetter | None:
    letters = AnnualLetter.objects.filter(review_year=review_year, council=council).exclude(
        status__in=AnnualLetter.NOT_LIVE_STATUSES
    )
    if lock:
        letters = letters.select_for_update()
    return letters.first()


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
        live = {letter.council_id: letter for letter in letters if letter.status not in AnnualLetter.NOT_LIVE_STATUSES}
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
                or (letter.status in (Status.READY, Status.RETURNED) and letter.snapshot != snapshot)
                or (letter.status == Status.RENDERING and letter.claimed_at and letter.claimed_at < stale_claim)
            ):
                requeue.append(letter)
        _requeue(requeue, snapshots, by=by, run=run, dispatch=False)
        queued = list(
            AnnualLetter.objects.filter(run=run, status=Status.PENDING).order_by("pk").values_list("pk", flat=True)
        )
        run.queued = len(queued)
        run.save(update_fields=["queued"])
        if dispatch:
            transaction.on_commit(partial(enqueue, queued))
    return run


def _requeue(letters: list[AnnualLetter], snapshots: dict, *, by, run, dispatch: bool = True) -> list[int]:
    """Put draft letters back to pending with a fresh snapshot (same version). Call in a transaction."""
    now = timezone.now()
    changed = []
    for letter in letters:
        if letter.status not in AnnualLetter.DRAFT_STATUSES or letter.council_id not in snapshots:
            continue
        letter.status, letter.snapshot, letter.error = Status.PENDING, snapshots[letter.council_id], ""
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
    return _requeue(locked, year_snapshots(review_year), by=by, run=locked[0].run if locked else None)


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
        temporary = _write_temporary(letter, data)
        with transaction.atomic():
            still_ours = (
                AnnualLetter.objects.select_for_update()
                .filter(pk=letter_id, status=Status.RENDERING, claimed_at=claim)
                .exists()
            )
            if not still_ours:  # swept or re-queued meanwhile: a newer render owns the file name
                temporary.unlink(missing_ok=True)
                return False
            name = letter_storage_name(letter.pk, letter.version)
            os.replace(temporary, storages["private"].path(name))
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


def _write_temporary(letter: AnnualLetter, data: bytes) -> Path:
    """Write the PDF next to its final name under a temporary name, flushed to disk."""
    final = Path(storages["private"].path(letter_storage_name(letter.pk, letter.version)))
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=final.parent, prefix=final.name + ".", suffix=TEMP_SUFFIX, delete=False) as f:
        try:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        except BaseException:
            Path(f.name).unlink(missing_ok=True)
            raise
    return Path(f.name)


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
    _remove_stale_temporaries(cutoff)
    if ids:
        logger.info("Re-queued %s stuck letter(s)", len(ids))
    return ids


def _remove_stale_temporaries(cutoff: datetime.datetime) -> None:
    root = Path(storages["private"].path("letters"))
    if not root.exists():
        return
    for path in root.glob(f"*/*{TEMP_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            if datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC) < cutoff:
                path.unlink()
