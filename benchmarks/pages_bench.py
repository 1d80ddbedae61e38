"""Server time of three busy pages with 1,000,000 decisions in the database: the case list,
a review year's letters table and a public council page. Each page is requested 200 times
through Django's test client (the whole request: middleware, view, queries, template), after
a few warm-up requests; we report the median and 95th percentile, and the queries per request
on two different pages of the list (which must be the same: no query per row).
Target: p95 <= 100 ms and a constant number of queries. Reference: none (the target is absolute).

Standalone: `uv run python -m benchmarks.pages_bench --scale 0.1`.
"""

import gc
import logging
import statistics
import time

from benchmarks import cli, reviews_data, site_data

REQUESTS = 200
TARGET_P95_MS = 100.0


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _time_page(client, url: str, requests: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return samples, len(queries)


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def run(scale: float = 1.0) -> list[dict]:
    reviews_data.django_setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY

    restore = reviews_data.use_bench_database()
    results = []
    try:
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, DEBUG=False):
            site = site_data.prepare(scale)
            requests = max(20, round(REQUESTS * min(1.0, scale * 10)))
            clients = {}
            for role in ("caseworker", "manager"):
                client = Client()
                client.force_login(site[role])
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = site[f"{role}_device"].persistent_id
                session.save()
                clients[role] = client
            clients["public"] = Client()
            # As ombudsman.wsgi does in a server process: what is loaded before the first request
            # stays out of the collector's full passes (without this, p95 includes those passes).
            gc.collect()
            gc.freeze()
            council = site["gss_codes"][len(site["gss_codes"]) // 2]
            pages = [
                (
                    "case list",
                    "caseworker",
                    reverse("complaints:case-list"),
                    reverse("complaints:case-list") + "?page=2",
                ),
                (
                    "letters table",
                    "manager",
                    reverse("reviews:letter-list", args=[site["under_review"]]),
                    reverse("reviews:letter-list", args=[site["under_review"]]) + "?page=2",
                ),
                (
                    "public council page",
                    "public",
                    reverse("published:council", args=[council]),
                    reverse("published:council", args=[site["gss_codes"][0]]),
                ),
            ]
            for name, role, url, other_url in pages:
                samples, queries = _time_page(clients[role], url, requests)
                other_queries = _queries(clients[role], other_url)
                median, p95 = statistics.median(samples), _percentile(samples, 0.95)
                results.append(
                    {
                        "name": f"pages: {name} p95 server time",
                        "value": round(p95, 1),
                        "unit": "ms",
                        "reference": None,
                        "ratio": None,
                        "target": f"<= {TARGET_P95_MS:g} ms",
                        "met": p95 <= TARGET_P95_MS,
                        "median_ms": round(median, 1),
                        "requests": len(samples),
                    }
                )
                results.append(
                    {
                        "name": f"pages: {name} queries per request",
                        "value": queries,
                        "unit": "queries",
                        "reference": other_queries,
                        "ratio": round(queries / other_queries, 2) if other_queries else None,
                        "target": "same on another page of results",
                        "met": queries == other_queries,
                    }
                )
    finally:
        gc.unfreeze()
        restore()
    return results


def main() -> None:
    cli.main(run, __doc__)


if __name__ == "__main__":
    main()
