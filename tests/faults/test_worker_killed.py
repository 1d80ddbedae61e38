"""A worker killed with SIGKILL (pool processes and main process) at three points of a whole-year
run, then a new worker: the run completes with exactly one ready letter per council, every PDF
the one its checksum names, and no file in private storage that no letter points to.

What brings the run back is the design, not the test: letters claimed by the dead worker stay
`rendering` and letters whose queue messages died with it (prefetched, unacknowledged) stay
`pending` until the periodic sweep (reviews.services.letters_sweep_stuck) finds them older than
STUCK_AFTER; it queues them again and removes the temporary files the dead worker left. The test
runs that sweep as beat would once STUCK_AFTER has passed since the kill (its clock set to
kill time + STUCK_AFTER), instead of waiting three minutes.
"""

import datetime

import pytest
from django.utils import timezone

from reviews import policy
from reviews.letters import render
from reviews.models import AnnualLetter, LetterStatus
from tests import factories
from tests.faults.harness import (
    Worker,
    assert_every_pdf_is_the_one_recorded,
    own_redis_db,
    producer,
    ready_count,
    redis_url_or_skip,
    report,
    run_outcome,
    temporary_files,
    wait_until,
    workers_stopped_at_exit,
)
from tests.reviews.letters.test_render import councils_with_chief_executives, decide

COUNCILS = 20
SWEEP_GRACE = datetime.timedelta(seconds=1)

KILL_POINTS = {
    # early: as soon as the first letter is ready
    "early": ({}, lambda year: ready_count(year) >= 1),
    # middle: half the letters ready
    "middle": ({}, lambda year: ready_count(year) >= COUNCILS // 2),
    # during a PDF write: a PDF on disk under its temporary name, not yet renamed into place
    "pdf-write": ({"FAULT_SLOW_PDF_WRITE": "60"}, lambda year: bool(temporary_files())),
}


def sweep_as_beat_would_after(kill_time: datetime.datetime) -> list[int]:
    return render.letters_sweep_stuck(now=kill_time + policy.STUCK_AFTER + SWEEP_GRACE)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_worker_killed_mid_run_then_a_new_worker_completes_it_exactly_once(point, tmp_path):
    broker = own_redis_db(redis_url_or_skip())
    first_env, kill_when = KILL_POINTS[point]
    review_year = factories.ReviewYearFactory(label="2019-20")
    councils = councils_with_chief_executives(COUNCILS)
    for council in councils[::3]:
        decide(council, upheld=True)
    first = Worker("first", broker, tmp_path, **first_env)
    second = Worker("second", broker, tmp_path)

    with producer(broker), workers_stopped_at_exit(first, second):
        first.start()
        run = render.review_run_start(review_year=review_year)
        wait_until(lambda: kill_when(review_year), timeout=180, what=f"the {point} kill point", workers=[first])
        ready_at_kill, temporary_at_kill = ready_count(review_year), len(temporary_files())
        first.kill()
        kill_time = timezone.now()
        in_flight = AnnualLetter.objects.filter(review_year=review_year, status=LetterStatus.RENDERING).count()
        second.start()
        swept = sweep_as_beat_would_after(kill_time)
        wait_until(
            lambda: ready_count(review_year) == COUNCILS, timeout=240, what="every letter ready", workers=[second]
        )
        render.letters_sweep_stuck()  # the sweep finds nothing more to do

    outcome = run_outcome(review_year, councils)
    report(
        f"worker SIGKILL {point}",
        f"runs 1, {outcome}; killed with {ready_at_kill} ready, {in_flight} rendering, "
        f"{temporary_at_kill} temporary file(s); sweep re-queued {len(swept)}",
    )
    assert run.queued == COUNCILS
    assert (outcome.letters, outcome.ready, outcome.duplicates, outcome.lost) == (COUNCILS, COUNCILS, 0, 0)
    assert outcome.orphan_files == 0 and temporary_files() == set()
    assert set(AnnualLetter.objects.filter(review_year=review_year).values_list("version", flat=True)) == {1}
    assert_every_pdf_is_the_one_recorded(review_year)
    if point == "pdf-write":
        assert temporary_at_kill >= 1 and in_flight >= 1
