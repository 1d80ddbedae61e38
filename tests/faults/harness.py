"""What the fault-injection tests share: real Celery worker processes against the test database
and a Redis database of their own, the producer side pointed at the same broker, waiting, and
the checks that a whole-year run ended with exactly one ready letter per council and no stray
files.

The worker runs `python -m tests.faults.worker` (tests/faults/worker.py): Celery's own worker
with test-only timing switches. It reaches the test database by DATABASE_URL (built from the
test connection's settings, a Unix socket for the embedded server) with an application_name the
tests use to find its connections, and writes letters under the test's private storage.
"""

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
import redis
from django.conf import settings
from django.core.files.storage import storages
from django.db import connection

from reviews.letters.storage import TEMP_SUFFIX
from reviews.models import AnnualLetter, LetterStatus
from tests.reviews.letters.test_render import database_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 9  # ours alone: flushed at the start, so no stray worker or demo can take the tasks
WORKER_APP_NAME = "fault-test-worker"


def redis_url_or_skip() -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set: fault tests need a Redis server and real workers (CI sets it)")
    return url


def own_redis_db(url: str) -> str:
    """The same Redis server, database REDIS_DB, emptied."""
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    own = f"{base}/{REDIS_DB}"
    redis.Redis.from_url(own).flushdb()
    return own


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate: Callable[[], bool], *, timeout: float, what: str, workers=()) -> None:
    """Poll `predicate` every 0.2 s; fail with `what` after `timeout` seconds or if a worker died."""
    deadline = time.monotonic() + timeout
    while not predicate():
        for worker in workers:
            assert worker.alive(), f"worker {worker.name} stopped by itself while waiting for {what}"
        assert time.monotonic() < deadline, f"timed out after {timeout:.0f} s waiting for {what}"
        time.sleep(0.2)


class Worker:
    """One `celery worker` process (with its prefork children) for the test."""

    def __init__(self, name: str, broker: str, var_dir: Path, *, concurrency: int = 2, **env: str):
        self.name = name
        self.env = {
            **os.environ,
            "DATABASE_URL": f"{database_url()}?application_name={WORKER_APP_NAME}",
            "REDIS_URL": broker,
            "CELERY_BROKER_URL": broker,
            "CELERY_EAGER": "0",
            "OMBUDSMAN_VAR_DIR": str(var_dir),
            "EMAIL_URL": os.environ.get("EMAIL_URL", "locmem:"),
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self.concurrency = concurrency
        self.log = var_dir / f"worker-{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "tests.faults.worker", "worker"),
                    *("--concurrency", str(self.concurrency), "--pool", "prefork", "--loglevel", "WARNING"),
                    *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                    *("--hostname", f"fault-{self.name}-{uuid.uuid4().hex[:6]}@%h"),
                ],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> list[int]:
        """SIGKILL the pool processes, then the main process: nothing gets to clean up."""
        parent = psutil.Process(self.process.pid)
        children = parent.children(recursive=True)
        for process in [*children, parent]:
            with contextlib.suppress(psutil.NoSuchProcess):
                os.kill(process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        psutil.wait_procs(children, timeout=30)
        return [process.pid for process in [*children, parent]]

    def stop(self) -> None:
        if not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""


@contextlib.contextmanager
def producer(broker: str):
    """Tasks queued by this (test) process go to `broker` instead of running in process."""
    from ombudsman.celery import app

    before = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager, app.conf.broker_url = False, broker
    app._pool = app.amqp._producer_pool = None  # connect to the broker named above
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url = before
        app._pool = app.amqp._producer_pool = None


@contextlib.contextmanager
def workers_stopped_at_exit(*workers: Worker):
    try:
        yield
    finally:
        for worker in workers:
            worker.stop()


def worker_connections() -> list[int]:
    """Backend pids of the workers' database connections."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = current_database()",
            [WORKER_APP_NAME],
        )
        return [row[0] for row in cursor.fetchall()]


def terminate_worker_connections() -> int:
    """pg_terminate_backend on every worker connection: the database 'goes away for a moment'."""
    pids = worker_connections()
    with connection.cursor() as cursor:
        for pid in pids:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    return len(pids)


def private_root() -> Path:
    return Path(storages["private"].location)


def letter_files() -> set[str]:
    root = private_root()
    return {str(path.relative_to(root)) for path in (root / "letters").rglob("*") if path.is_file()}


def temporary_files() -> set[str]:
    return {name for name in letter_files() if name.endswith(TEMP_SUFFIX)}


def ready_count(review_year) -> int:
    return AnnualLetter.objects.filter(review_year=review_year, status=LetterStatus.READY).count()


@dataclass
class RunOutcome:
    """Figures for the closing note: what a whole-year run ended with."""

    councils: int
    letters: int
    ready: int
    duplicates: int  # letters beyond one per council
    lost: int  # councils without a ready letter
    rendered_again: int  # letters whose render was started more than once
    orphan_files: int  # files in private storage that no letter points to (temporary ones included)

    def __str__(self) -> str:
        return (
            f"councils {self.councils}, letters {self.letters}, ready {self.ready}, duplicates {self.duplicates}, "
            f"lost {self.lost}, rendered again {self.rendered_again}, orphan files {self.orphan_files}"
        )


def run_outcome(review_year, councils) -> RunOutcome:
    letters = list(AnnualLetter.objects.filter(review_year=review_year))
    per_council = {}
    for letter in letters:
        per_council.setdefault(letter.council_id, []).append(letter)
    ready = [letter for letter in letters if letter.status == LetterStatus.READY]
    referenced = {letter.pdf_name for letter in letters if letter.pdf_name}
    return RunOutcome(
        councils=len(councils),
        letters=len(letters),
        ready=len(ready),
        duplicates=sum(len(versions) - 1 for versions in per_council.values()),
        lost=sum(
            1
            for council in councils
            if not any(letter.status == LetterStatus.READY for letter in per_council.get(council.pk, []))
        ),
        rendered_again=sum(1 for letter in letters if letter.attempts > 1),
        orphan_files=len(letter_files() - referenced),
    )


def assert_every_pdf_is_the_one_recorded(review_year) -> None:
    for letter in AnnualLetter.objects.filter(review_year=review_year):
        data = (private_root() / letter.pdf_name).read_bytes()
        assert data.startswith(b"%PDF-") and hashlib.sha256(data).hexdigest() == letter.pdf_sha256, letter


def report(name: str, text: str) -> None:
    """One line of figures for the closing note, printed and kept under var/ for the lead."""
    line = f"{name}: {text}"
    print(line)
    results = Path(settings.VAR_DIR) / "fault-results.txt"
    with results.open("a") as out:
        out.write(line + "\n")


def redis_server_binary() -> str:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        pytest.skip("redis-server is not installed: the Redis restart test starts a private one")
    return binary
