"""Validated CSV import of decisions (rows/s) against PostgreSQL COPY of the same rows into a
bare table; target >= 50,000 rows/s.

Runs in its own database, `ombudsman_bench`, on the same PostgreSQL server as the app
(created and migrated on first use through Django's test-database machinery, kept between
runs); the demo's database is never touched. Each run empties the bench database's casework
tables, generates `1,000,000 x scale` decided cases (a realistic mix of outcomes, remedies
and compliance outcomes over ten years), imports them with `decisions_import` (parse,
validate, write, commit: the whole service), then imports the same file again (every row
unchanged), then COPYs the same file into a table with no index, key or trigger.

Standalone: `uv run python -m benchmarks.import_bench --scale 0.1`.
"""

import datetime
import logging
import os
import random
import time

from benchmarks import cli, reviews_data

BENCH_DATABASE = "ombudsman_bench"
TARGET_ROWS_PER_SECOND = 50_000
FIRST_DAY, LAST_DAY = datetime.date(2015, 4, 1), datetime.date(2025, 3, 31)
OUTCOMES = [
    ("advice_given", 11),
    ("incomplete_invalid", 9),
    ("referred_back", 30),
    ("closed_after_initial_enquiries", 27),
    ("not_upheld", 6),
    ("upheld", 17),
]
KINDS = [("injustice_remedy_recommended", 80), ("no_significant_injustice", 8), ("satisfactory_remedy_by_council", 12)]
RECOMMENDATIONS = [
    "apology:Apologise to the complainant for the delay",
    "financial_redress:Pay £{amount} for the distress caused",
    "procedure_change:Review how repair requests are logged, and tell us what changed",
    "staff_training:Remind staff of the duty to reply within 20 working days",
    "provide_service:Carry out the outstanding repairs",
]
SUMMARIES = ["", "", "", "Late reply to repeated requests", "The council failed to act on reports, and did not reply"]
log = logging.getLogger("benchmarks.import_bench")


def decisions_csv(rows: int, councils: list[str], categories: list[tuple[str, list[str]]], seed: int = 0) -> bytes:
    """A file of `rows` decided cases over ten years, with every optional column."""
    rng = random.Random(seed)
    days = (LAST_DAY - FIRST_DAY).days
    outcomes, outcome_weights = zip(*OUTCOMES, strict=True)
    kinds, kind_weights = zip(*KINDS, strict=True)
    numbers: dict[int, int] = {}
    lines = ["reference,council_gss_code,received_on,category,decided_on,outcome,upheld_kind,"
             "compliance_outcome,compliance_recorded_on,subcategory,summary,recommendations"]  # fmt: skip
    for _ in range(rows):
        received = FIRST_DAY + datetime.timedelta(days=rng.randrange(days - 200))
        decided = received + datetime.timedelta(days=rng.randrange(1, 150))
        number = numbers[received.year] = numbers.get(received.year, 0) + 1
        category, subcategories = rng.choice(categories)
        outcome = rng.choices(outcomes, outcome_weights)[0]
        kind = rng.choices(kinds, kind_weights)[0] if outcome == "upheld" else ""
        compliance = recorded = recommendations = ""
        if kind == "injustice_remedy_recommended":
            due = decided + datetime.timedelta(days=rng.randrange(28, 90))
            items = rng.sample(RECOMMENDATIONS, rng.randint(1, 3))
            recommendations = "|".join(
                f"{item.format(amount=rng.choice((150, 250, 300, 500)))}:{due}"
                + (f":{rng.choice((150, 250, 300, 500))}" if item.startswith("financial") else "")
                for item in items
            )
            if rng.random() < 0.8:
                compliance = rng.choices(["complied_on_time", "complied_late", "not_complied"], [85, 13, 2])[0]
                recorded = str(due + datetime.timedelta(days=rng.randrange(1, 30)))
        summary = rng.choice(SUMMARIES)
        lines.append(
            f"{received.year % 100:02d} {number // 1000:03d} {number % 1000:03d},{rng.choice(councils)},{received},"
            f"{_cell(category)},{decided},{outcome},{kind},{compliance},{recorded},"
            f"{_cell(rng.choice(subcategories)) if rng.random() < 0.7 else ''},{_cell(summary)},{_cell(recommendations)}"
        )
    return ("\n".join(lines) + "\n").encode()


def _cell(text: str) -> str:
    return f'"{text}"' if "," in text else text


def _prepare() -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Councils from the register (or made up when it is absent); empty casework tables."""
    from django.conf import settings
    from django.db import connection

    from complaints.models import Category
    from councils.importing import councils_import
    from councils.models import Council

    register = settings.SHARED_DATA_DIR / "councils.csv"
    if register.exists():
        councils_import(register.read_bytes())
    elif not Council.objects.exists():
        for n in range(300):
            Council.objects.create(gss_code=f"E07{900000 + n:06d}", name=f"Bench {n}", formal_name=f"Bench {n} Council",
                                   authority_type="district")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE complaints_complianceoutcome, complaints_recommendation, complaints_decision, "
            "complaints_complaint, complaints_complianceoutcomeevent, complaints_recommendationevent, "
            "complaints_decisionevent, complaints_complaintevent, complaints_referencecounter, "
            "complaints_importbatch, complaints_importbatchevent CASCADE"  # and the case files on those complaints
        )
    councils = list(
        Council.objects.filter(active_from__isnull=True, active_to__isnull=True).values_list("gss_code", flat=True)
    )
    categories = [
        (parent.name, [sub.name for sub in parent.subcategories.all()])
        for parent in Category.objects.filter(parent__isnull=True).prefetch_related("subcategories")
    ]
    return councils, categories


def _bare_copy_seconds(data: bytes) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_decisions")
        cursor.execute(
            "CREATE TABLE bench_bare_decisions (reference text, council_gss_code text, received_on text, category text, "
            "decided_on text, outcome text, upheld_kind text, compliance_outcome text, compliance_recorded_on text, "
            "subcategory text, summary text, recommendations text)"
        )
    started = time.perf_counter()
    with (
        connection.cursor() as wrapper,
        wrapper.cursor.copy("COPY bench_bare_decisions FROM STDIN (FORMAT csv, HEADER true)") as copy,
    ):
        for start in range(0, len(data), 1 << 20):
            copy.write(data[start : start + (1 << 20)])
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_bare_decisions")
    return seconds


def run(scale: float = 1.0) -> list[dict]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ombudsman.settings")
    django.setup()
    import pghistory

    from complaints.importing import decisions_check, decisions_import

    rows = max(1_000, round(1_000_000 * scale))
    restore = reviews_data.use_bench_database(BENCH_DATABASE)
    try:
        councils, categories = _prepare()
        data = decisions_csv(rows, councils, categories)
        with pghistory.context(command="import_bench"):
            started = time.perf_counter()
            checked = decisions_check(data)
            check_seconds = time.perf_counter() - started
            started = time.perf_counter()
            report = decisions_import(data)
            import_seconds = time.perf_counter() - started
            started = time.perf_counter()
            again = decisions_import(data)
            reimport_seconds = time.perf_counter() - started
        if checked.errors or report.created.total() != rows or again.unchanged.total() != rows:  # pragma: no cover
            raise RuntimeError(f"the benchmark's file did not import cleanly: {checked.errors[:3]} {report} {again}")
        bare_seconds = _bare_copy_seconds(data)
    finally:
        restore()
    rate, bare_rate = rows / import_seconds, rows / bare_seconds
    log.info(
        "%s rows, %.1f MB: check only %.1f s (%.0f rows/s); import %.1f s (%.0f rows/s); re-import, all unchanged, "
        "%.1f s (%.0f rows/s); bare COPY %.1f s (%.0f rows/s)",
        f"{rows:,}", len(data) / 1e6, check_seconds, rows / check_seconds, import_seconds, rate, reimport_seconds,
        rows / reimport_seconds, bare_seconds, bare_rate,
    )  # fmt: skip
    return [
        {
            "name": f"import: validated CSV import of {rows:,} decisions (parse, validate, write, commit)",
            "value": round(rate),
            "unit": "rows/s",
            "reference": round(bare_rate),
            "ratio": round(rate / bare_rate, 3),
            "target": f">= {TARGET_ROWS_PER_SECOND:,} rows/s (reference: PostgreSQL COPY of the same rows into a bare table)",
            "met": rate >= TARGET_ROWS_PER_SECOND,
        }
    ]


def main() -> None:
    cli.main(run, __doc__, scale_help="1.0 imports 1,000,000 decisions")


if __name__ == "__main__":
    main()
