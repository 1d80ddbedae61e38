"""Peak memory of a real Celery worker (two prefork processes) across a whole-year run
(2019-20, every active council), sampled every 0.2 s with psutil; also the run's wall time
through the real worker. Target: every worker process stays under 400 MB RSS.

The worker uses a filesystem broker in a temporary folder (no Redis needed) and the
benchmarks' own database. Standalone: `uv run python -m benchmarks.memory_bench --scale 0.1`.
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from benchmarks import cli, reviews_data, site_data

TARGET_MB = 400.0
BASE_DIR = Path(__file__).resolve().parent.parent


def _sample(root: psutil.Process, stop: threading.Event, peaks: dict) -> None:
    while not stop.is_set():
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for process in processes:
            try:
                rss = process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
            peaks[process.pid] = max(peaks.get(process.pid, 0), rss)
        stop.wait(0.2)


def run(scale: float = 1.0) -> list[dict]:
    reviews_data.django_setup()
    from ombudsman import filesystem_broker
    from ombudsman.celery import app
    from ombudsman.periods import ReviewPeriod
    from reviews.letters import render
    from reviews.letters.years import new_year_defaults
    from reviews.models import AnnualLetter, ReviewRun, ReviewYear

    restore = reviews_data.use_bench_database()
    try:
        reviews_data.councils_and_contacts()
        reviews_data.casework(max(10_000, round(1_000_000 * scale)))
        period = ReviewPeriod.from_label("2019-20")
        year, _ = ReviewYear.objects.get_or_create(label=period.label, defaults=new_year_defaults(period))
        AnnualLetter.objects.filter(review_year=year).delete()
        ReviewRun.objects.filter(review_year=year).delete()
        with tempfile.TemporaryDirectory(prefix="memory-bench-") as var_dir:
            options = filesystem_broker.transport_options(Path(var_dir))  # the worker's OMBUDSMAN_VAR_DIR
            env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "REDIS_URL"))}
            env.update(
                DATABASE_URL=site_data.database_url(),
                SECRET_KEY="benchmark-only-secret-key-" + "x" * 40,
                DJANGO_DEBUG="0",
                OMBUDSMAN_VAR_DIR=var_dir,
                CELERY_BROKER_URL="filesystem://",
                LOG_LEVEL="WARNING",
            )
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "ombudsman",
                    "worker",
                    "--concurrency",
                    "2",
                    "--loglevel",
                    "WARNING",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=BASE_DIR,
                env=env,
            )
            peaks: dict[int, int] = {}
            stop = threading.Event()
            sampler = threading.Thread(target=_sample, args=(psutil.Process(worker.pid), stop, peaks))
            sampler.start()
            saved = dict(app.conf.items())
            app.conf.update(task_always_eager=False, broker_url="filesystem://", broker_transport_options=options)
            try:
                time.sleep(3)
                started = time.monotonic()
                run_record = render.review_run_start(review_year=year)
                total = run_record.queued
                deadline = started + 1800
                while time.monotonic() < deadline:
                    left = AnnualLetter.objects.filter(run=run_record, status__in=["pending", "rendering"]).count()
                    if left == 0:
                        break
                    time.sleep(1)
                elapsed = time.monotonic() - started
                ready = AnnualLetter.objects.filter(run=run_record, status="ready").count()
            finally:
                app.conf.update(
                    task_always_eager=saved["task_always_eager"],
                    broker_url=saved["broker_url"],
                    broker_transport_options=saved["broker_transport_options"],
                )
                stop.set()
                sampler.join()
                worker.terminate()
                worker.wait(timeout=60)
    finally:
        restore()
    peak_mb = round(max(peaks.values()) / 2**20, 1) if peaks else 0.0
    total_mb = round(sum(peaks.values()) / 2**20, 1)
    return [
        {
            "name": "memory: peak RSS of a worker process (whole-year run)",
            "value": peak_mb,
            "unit": "MB",
            "reference": None,
            "ratio": None,
            "target": f"< {TARGET_MB:g} MB",
            "met": peak_mb < TARGET_MB,
            "processes": len(peaks),
            "sum_of_peaks_mb": total_mb,
        },
        {
            "name": "memory: whole year through a real worker (2 processes)",
            "value": round(elapsed, 1),
            "unit": "s",
            "reference": None,
            "ratio": None,
            "target": f"all {total} letters ready",
            "met": ready == total,
            "letters": total,
            "ready": ready,
        },
    ]


def main() -> None:
    cli.main(run, __doc__)


if __name__ == "__main__":
    main()
