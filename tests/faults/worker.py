"""`python -m tests.faults.worker worker ...`: the real Celery worker (prefork pool, Redis broker,
PostgreSQL), with two test-only changes of timing and nothing else. Both are set up here, in the
test's worker process, never in the application:

FAULT_RETRY_SECONDS      every automatic retry waits this many seconds instead of the tasks'
                         exponential backoff (15 s, 30 s, ... for email), so a test does not wait
                         minutes for the third attempt.
FAULT_SLOW_PDF_WRITE     seconds to sleep after a letter's PDF is on disk under its temporary
                         name and before it is renamed into place: the window in which a test
                         kills the worker or its database connection "during a PDF write".
FAULT_SLOW_PDF_WRITES    how many writes per process are slowed (default: all).
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ombudsman.settings")

import django

django.setup()

from celery.app import autoretry  # noqa: E402

from ombudsman.celery import app  # noqa: E402
from reviews.letters import storage  # noqa: E402


def slow_pdf_writes(seconds: float, count: int | None) -> None:
    write = storage.write_temporary
    done = {"writes": 0}

    def slow_write(letter, data):
        path = write(letter, data)
        done["writes"] += 1
        if count is None or done["writes"] <= count:
            time.sleep(seconds)
        return path

    storage.write_temporary = slow_write


def main() -> None:
    if os.environ.get("FAULT_RETRY_SECONDS"):
        wait = float(os.environ["FAULT_RETRY_SECONDS"])
        autoretry.get_exponential_backoff_interval = lambda **kwargs: wait
    if os.environ.get("FAULT_SLOW_PDF_WRITE"):
        count = os.environ.get("FAULT_SLOW_PDF_WRITES")
        slow_pdf_writes(float(os.environ["FAULT_SLOW_PDF_WRITE"]), int(count) if count else None)
    app.worker_main(sys.argv[1:])


if __name__ == "__main__":
    main()
