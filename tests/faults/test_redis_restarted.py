"""Redis restarted in the middle of a whole-year run. A private redis-server (no persistence, as in
CI and in many deployments) on a port of its own, so the machine's shared Redis is never touched:
stopped with SIGTERM while the worker renders, then started again on the same port, empty.

The worker reconnects by itself (Celery retries the broker connection); the letters whose queue
messages were lost with Redis stay `pending` until the periodic sweep queues them again (run here
as beat would once STUCK_AFTER has passed). The run completes: exactly one ready letter per
council, nothing lost, nothing doubled.
"""

import datetime
import subprocess

import pytest
import redis
from django.utils import timezone

from reviews import policy
from reviews.letters import render
from tests import factories
from tests.faults.harness import (
    Worker,
    assert_every_pdf_is_the_one_recorded,
    free_port,
    producer,
    ready_count,
    redis_server_binary,
    redis_url_or_skip,
    report,
    run_outcome,
    temporary_files,
    wait_until,
    workers_stopped_at_exit,
)
from tests.reviews.letters.test_render import councils_with_chief_executives

COUNCILS = 20


class RedisServer:
    def __init__(self, directory):
        self.binary = redis_server_binary()
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                *(self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--dir", str(self.directory), "--logfile", str(self.directory / "redis.log")),
            ]
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        wait_until(answers, timeout=20, what="the private redis-server to answer")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redis_restarted_mid_run_loses_and_doubles_nothing(tmp_path):
    redis_url_or_skip()  # CI and developers with Redis; the private server uses the same binary
    server = RedisServer(tmp_path / "redis").start()
    review_year = factories.ReviewYearFactory(label="2019-20")
    councils = councils_with_chief_executives(COUNCILS)
    worker = Worker("redis", server.url, tmp_path)

    try:
        with producer(server.url), workers_stopped_at_exit(worker):
            worker.start()
            render.review_run_start(review_year=review_year)
            wait_until(lambda: ready_count(review_year) >= 4, timeout=180, what="4 letters ready", workers=[worker])
            server.stop()
            ready_at_stop = ready_count(review_year)
            server.start()
            restarted_at = timezone.now()
            queued_after_restart = redis.Redis(port=server.port).llen("celery")
            swept = render.letters_sweep_stuck(now=restarted_at + policy.STUCK_AFTER + datetime.timedelta(seconds=1))
            wait_until(
                lambda: ready_count(review_year) == COUNCILS, timeout=240, what="every letter ready", workers=[worker]
            )
    finally:
        server.stop()

    outcome = run_outcome(review_year, councils)
    report(
        "Redis restarted mid-run",
        f"runs 1, {outcome}; {ready_at_stop} ready when Redis stopped, {queued_after_restart} messages in the "
        f"queue after the restart, sweep re-queued {len(swept)}",
    )
    assert queued_after_restart == 0  # the restart really lost the queue
    assert (outcome.letters, outcome.ready, outcome.duplicates, outcome.lost) == (COUNCILS, COUNCILS, 0, 0)
    assert outcome.orphan_files == 0 and temporary_files() == set()
    assert_every_pdf_is_the_one_recorded(review_year)
