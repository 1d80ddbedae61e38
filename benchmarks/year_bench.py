"""A whole review year end to end: from "Run" (data check, statistics, snapshots, letter rows)
to every letter rendered and stored, with two worker processes; target <= 30 s.

Runs 2019-20 (every council active that year, about 340; the seed letter's format) and 2024-25
(about 317, the format with the complaint overview, its chart and the definitions) in the review benchmarks' own
database (see benchmarks.reviews_data; the casework is the same as stats_bench's at the same
scale). The letters are rendered by a local pool of two processes, each running the render
task's code exactly as a Celery worker with --concurrency 2 would (claim, render, store, mark
ready), so the figure has no broker latency in it. PDFs go to a temporary folder. Each run
starts from no letters. "reference" is the target itself (30 s), so ratio <= 1 means met.

Standalone: `uv run python -m benchmarks.year_bench --scale 0.1` (scale sets the casework
volume; the year always has every active council).
"""

import logging
import os
import tempfile
import time

from benchmarks import cli, reviews_data

log = logging.getLogger("benchmarks.year_bench")
TARGET_SECONDS = 30.0
PROCESSES = 2
YEARS = ("2019-20", "2024-25")


def run(scale: float = 1.0) -> list[dict]:
    reviews_data.django_setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("celery").setLevel(logging.WARNING)
    from django.conf import settings
    from django.test.utils import override_settings

    from ombudsman.periods import ReviewPeriod

    restore = reviews_data.use_bench_database()
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="year-bench-") as folder:
            storages = {
                **settings.STORAGES,
                "private": {**settings.STORAGES["private"], "OPTIONS": {"location": folder}},
            }
            with override_settings(STORAGES=storages):
                reviews_data.councils_and_contacts()
                reviews_data.casework(max(10_000, round(1_000_000 * scale)))
                for label in YEARS:
                    results.append(_year(ReviewPeriod.from_label(label)))
    finally:
        restore()
    return results


def _year(period) -> dict:
    from reviews.letters import render
    from reviews.letters.render import render_locally
    from reviews.letters.years import new_year_defaults
    from reviews.models import AnnualLetter, CouncilParagraph, ReviewRun, ReviewYear

    review_year, _ = ReviewYear.objects.get_or_create(label=period.label, defaults=new_year_defaults(period))
    AnnualLetter.objects.filter(review_year=review_year).delete()
    ReviewRun.objects.filter(review_year=review_year).delete()
    CouncilParagraph.objects.filter(review_year=review_year).delete()

    started = time.perf_counter()
    review_run = render.review_run_start(review_year=review_year, dispatch=False)
    queued_at = time.perf_counter()
    ids = list(AnnualLetter.objects.filter(run=review_run).values_list("pk", flat=True))
    render_locally(ids, processes=PROCESSES)
    seconds = time.perf_counter() - started
    ready = AnnualLetter.objects.filter(run=review_run, status=AnnualLetter.Status.READY).count()
    log.info(
        "%s: %s letters (%s ready): run started and letters queued in %.1f s, all done in %.1f s",
        period.label, len(ids), ready, queued_at - started, seconds,
    )  # fmt: skip
    if ready != len(ids):  # pragma: no cover - a benchmark of failures would mean nothing
        raise RuntimeError(f"only {ready} of {len(ids)} letters rendered")
    return {
        "name": f"year: whole review year {period.label}, {len(ids)} letters from Run to all ready, {PROCESSES} processes",
        "value": round(seconds, 1),
        "unit": "s",
        "reference": TARGET_SECONDS,
        "ratio": round(seconds / TARGET_SECONDS, 2),
        "target": f"<= {TARGET_SECONDS:.0f} s",
        "met": seconds <= TARGET_SECONDS,
        "load_average": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    cli.main(run, __doc__, scale_help="1.0 puts 1,000,000 decisions in the table")


if __name__ == "__main__":
    main()
