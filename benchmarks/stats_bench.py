"""Statistics of one review year with 1,000,000 decisions in the table (x scale), against the
equivalent hand-written SQL GROUP BY; target <= 1.5 x.

Ours: `reviews.statistics.year_statistics` for 2019-20, the whole service (councils active in
the year, the two grouped counts, populations, rates and pooled type averages in Python).
Reference: the two GROUP BY queries written by hand, fetched with a raw cursor. Both are
timed alternately, after a warm-up, and the medians compared. Runs in the review benchmarks'
own database (see benchmarks.reviews_data).

Standalone: `uv run python -m benchmarks.stats_bench --scale 0.1`.
"""

import logging
import statistics
import time

from benchmarks import cli, reviews_data

log = logging.getLogger("benchmarks.stats_bench")
REFERENCE_SQL = [
    """SELECT council_id, count(*) FILTER (WHERE outcome IN ('upheld', 'not_upheld')),
              count(*) FILTER (WHERE outcome = 'upheld'),
              count(*) FILTER (WHERE outcome = 'upheld' AND upheld_kind = 'satisfactory_remedy_by_council')
       FROM complaints_decision WHERE is_current AND decided_on >= %s AND decided_on <= %s GROUP BY council_id""",
    """SELECT council_id, count(*), count(*) FILTER (WHERE outcome IN ('complied_on_time', 'complied_late'))
       FROM complaints_complianceoutcome WHERE recorded_on >= %s AND recorded_on <= %s GROUP BY council_id""",
]


def run(scale: float = 1.0) -> list[dict]:
    reviews_data.django_setup()
    from django.db import connection

    from ombudsman.periods import ReviewPeriod
    from reviews.statistics.counts import year_statistics

    decisions = max(10_000, round(1_000_000 * scale))
    period = ReviewPeriod.from_label("2019-20")
    restore = reviews_data.use_bench_database()
    try:
        reviews_data.councils_and_contacts()
        started = time.perf_counter()
        if reviews_data.casework(decisions):
            log.info("generated %s decisions in %.1f s", f"{decisions:,}", time.perf_counter() - started)

        def ours():
            return year_statistics(period)

        def reference():
            with connection.cursor() as cursor:
                for sql in REFERENCE_SQL:
                    cursor.execute(sql, [period.start, period.end])
                    cursor.fetchall()

        for _ in range(3):
            ours()
            reference()
        ours_times, reference_times = [], []
        for _ in range(max(5, round(30 * min(scale, 1)))):
            for fn, times in ((ours, ours_times), (reference, reference_times)):
                begun = time.perf_counter()
                fn()
                times.append(time.perf_counter() - begun)
        result = year_statistics(period)
        in_year = sum(row.counts.investigations for row in result.councils)
    finally:
        restore()
    ours_ms = round(statistics.median(ours_times) * 1000, 1)
    reference_ms = round(statistics.median(reference_times) * 1000, 1)
    log.info("%s councils, %s investigations in 2019-20", len(result.councils), f"{in_year:,}")
    return [
        {
            "name": f"statistics: one review year, {decisions:,} decisions in the table (counts, rates, type averages)",
            "value": ours_ms,
            "unit": "ms",
            "reference": reference_ms,
            "ratio": round(ours_ms / reference_ms, 2),
            "target": "<= 1.5 x the hand-written SQL GROUP BY",
            "met": ours_ms <= 1.5 * reference_ms,
        }
    ]


def main() -> None:
    cli.main(run, __doc__, scale_help="1.0 puts 1,000,000 decisions in the table")


if __name__ == "__main__":
    main()
