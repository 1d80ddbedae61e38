"""50 simulated users for 60 s against gunicorn on 127.0.0.1, then the same again while a
whole-year review renders (two processes). Users read public council pages, the national
figures and open data, and staff read the case list and the letters table (signed in, second
factor passed). Like locust's users they wait between pages (1 to 5 s, `THINK_SECONDS`), so
50 users are 50 people reading, not 50 scripts in a tight loop. We report requests per second,
p50/p95/p99 latency and errors, and how much p95 rises during the review run. Target: 0 errors
and p95 <= 300 ms (without the run). A third phase, the same 50 users with no wait at all,
measures what the server can take (saturation requests/s and latency), for the record.

The server is gunicorn with production settings (DEBUG off) on the benchmarks' own database.
Standalone: `uv run python -m benchmarks.load_bench --scale 0.1` (scale also shortens the run).
"""

import http.client
import logging
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import cli, reviews_data, site_data

USERS = 50
SECONDS = 60
THINK_SECONDS = (1.0, 5.0)  # locust's between(1, 5)
BENCH_SECRET_KEY = "benchmark-only-secret-key-" + "x" * 40  # the server's; sessions are signed with it
TARGET_P95_MS = 300.0
BASE_DIR = Path(__file__).resolve().parent.parent
log = logging.getLogger("benchmarks.load_bench")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(var_dir: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "REDIS_URL"))}
    env.update(
        DATABASE_URL=site_data.database_url(),
        SECRET_KEY=BENCH_SECRET_KEY,
        DJANGO_DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        STATIC_MANIFEST="0",
        OMBUDSMAN_VAR_DIR=var_dir,
        LOG_LEVEL="WARNING",
        CELERY_EAGER="1",
    )
    return env


def _wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def _user(port: int, urls, until: float, seed: int, samples: list, errors: list, think: tuple | None) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if think:  # people arrive over the first pause, not all in the same millisecond
        time.sleep(rng.uniform(0, think[1]))
    while time.monotonic() < until:
        path, cookie = rng.choice(urls)
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            samples.append(elapsed)
            if response.status != 200:
                errors.append(f"{response.status} {path}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__} {path}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        if think:  # gunicorn drops a keep-alive connection idle for 2 s: a reader reconnects
            connection.close()
            time.sleep(min(rng.uniform(*think), max(0.0, until - time.monotonic())))


def _load(port: int, urls, seconds: float, think: tuple | None = THINK_SECONDS) -> dict:
    samples: list[float] = []
    errors: list[str] = []
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_user, args=(port, urls, until, n, samples, errors, think)) for n in range(USERS)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(samples)

    def pct(fraction):
        return round(ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))], 1) if ordered else 0.0

    return {
        "requests": len(samples),
        "rps": round(len(samples) / elapsed, 1),
        "p50": round(statistics.median(ordered), 1) if ordered else 0.0,
        "p95": pct(0.95),
        "p99": pct(0.99),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
    }


def run(scale: float = 1.0) -> list[dict]:
    reviews_data.django_setup()
    from django.test.utils import override_settings
    from django.urls import reverse

    from reviews.models import AnnualLetter, ReviewRun, ReviewYear

    restore = reviews_data.use_bench_database()
    seconds = max(10, round(SECONDS * min(1.0, scale * 10)))
    try:
        site = site_data.prepare(scale)
        with override_settings(SECRET_KEY=BENCH_SECRET_KEY):  # as gunicorn will check them
            caseworker = site_data.session_cookie(site["caseworker"], site["caseworker_device"])
            manager = site_data.session_cookie(site["manager"], site["manager_device"])
        codes = site["gss_codes"]
        urls = [(reverse("published:council", args=[code]), None) for code in codes[:: max(1, len(codes) // 40)]]
        urls += [(reverse("published:home"), None)] * 8 + [(reverse("published:open-data"), None)] * 4
        case_list = reverse("complaints:case-list")
        urls += [(f"{case_list}?page={page}", caseworker) for page in range(1, 9)]
        urls += [(f"{case_list}?status=closed&page={page}", caseworker) for page in range(1, 5)]
        letters = reverse("reviews:letter-list", args=[site["under_review"]])
        urls += [(f"{letters}?page={page}", manager) for page in range(1, 5)]
        # The review the second phase renders: 2019-20, from no letters.
        year = ReviewYear.objects.filter(label="2019-20").first()
        if year is not None:
            AnnualLetter.objects.filter(review_year=year).delete()
            ReviewRun.objects.filter(review_year=year).delete()
        with tempfile.TemporaryDirectory(prefix="load-bench-") as var_dir:
            env = _environment(var_dir)
            port = _free_port()
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "ombudsman.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "3",
                    "--worker-class",
                    "gthread",
                    "--threads",
                    "4",
                    "--log-level",
                    "warning",
                ],
                cwd=BASE_DIR,
                env=env,
            )
            try:
                _wait_for(port)
                quiet = _load(port, urls, seconds)
                log.warning("load without a review run: %s", quiet)
                saturated = _load(port, urls, seconds, think=None)
                log.warning("load with no wait between pages: %s", saturated)
                review = subprocess.Popen(
                    [sys.executable, "manage.py", "run_review", "2019-20", "--processes", "2"],
                    cwd=BASE_DIR,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                try:
                    time.sleep(3)  # let the run compute its statistics and start rendering
                    busy = _load(port, urls, seconds)
                    log.warning("load during a review run: %s", busy)
                finally:
                    review.wait(timeout=1800)
            finally:
                server.terminate()
                server.wait(timeout=30)
    finally:
        restore()
    rise = round(busy["p95"] / quiet["p95"], 2) if quiet["p95"] else None
    return [
        {
            "name": "load: requests per second (50 users)",
            "value": quiet["rps"],
            "unit": "requests/s",
            "reference": None,
            "ratio": None,
            "target": "0 errors",
            "met": quiet["errors"] == 0,
            **quiet,
        },
        {
            "name": "load: p95 latency (50 users)",
            "value": quiet["p95"],
            "unit": "ms",
            "reference": None,
            "ratio": None,
            "target": f"<= {TARGET_P95_MS:g} ms",
            "met": quiet["p95"] <= TARGET_P95_MS and quiet["errors"] == 0,
        },
        {
            "name": "load: saturation, 50 users with no wait between pages (requests/s)",
            "value": saturated["rps"],
            "unit": "requests/s",
            "reference": None,
            "ratio": None,
            "target": "0 errors (report what the server takes)",
            "met": saturated["errors"] == 0,
            **saturated,
        },
        {
            "name": "load: p95 latency during a whole-year review",
            "value": busy["p95"],
            "unit": "ms",
            "reference": quiet["p95"],
            "ratio": rise,
            "target": "0 errors (report the rise)",
            "met": busy["errors"] == 0,
            **busy,
        },
    ]


def main() -> None:
    cli.main(run, __doc__)


if __name__ == "__main__":
    main()
