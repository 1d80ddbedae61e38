"""Realistic synthetic casework for the demo (`manage.py generate_demo_data`).

Rules:
- What is drawn, and how, is demo.generator's (with the figures in demo.figures and the
  wording in demo.texts); this module numbers and loads it, through complaints.bulk (the
  COPY writer the decisions import uses) and complaints.references.
- One transaction: every case of every year, or nothing. References are numbered in order of
  date received after each year's counter (which is then moved past them), so manual cases
  never collide and, on an empty database, a seed always gives the same casework.
- A load large against what is stored rebuilds the indexes once (bulk.bulk_load); planner
  statistics are refreshed as the tables grow, or the rule triggers' joins go quadratic.
"""

import contextlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from complaints.bulk import bulk_load, cases_insert
from complaints.models import (
    INVESTIGATED_OUTCOMES,
    Complaint,
    ComplianceOutcome,
    Decision,
    Outcome,
    Recommendation,
    ReferenceCounter,
    UpheldKind,
)
from complaints.references import format_reference, references_reserve
from demo.generator import CaseGenerator, GeneratedCase
from demo.profiles import council_profiles
from ombudsman.models import User
from ombudsman.periods import ReviewPeriod
from ombudsman.roles import Role

BATCH_SIZE = 25_000  # about a year of cases: one COPY per table
BULK_LOAD_MIN_ROWS = 50_000  # and more than the cases stored: drop and rebuild the indexes (bulk.bulk_load)
MAX_SCALE = 10.0


@dataclass
class YearSummary:
    label: str
    received: int = 0
    decisions: int = 0
    investigations: int = 0
    upheld: int = 0
    satisfactory: int = 0
    open: int = 0

    def __str__(self) -> str:
        def percent(part: int, whole: int) -> str:
            return f"{100 * part / whole:.1f}%" if whole else "-"

        return (
            f"{self.label}: {self.received:,} received, {self.decisions:,} decisions, "
            f"{self.investigations:,} investigations, {percent(self.upheld, self.investigations)} upheld, "
            f"{percent(self.satisfactory, self.upheld)} satisfactory remedy"
            + (f", {self.open:,} still open" if self.open else "")
        )


def _caseworker_ids() -> list[int]:
    return list(
        User.objects.filter(groups__name=Role.CASEWORKER, is_active=True).order_by("pk").values_list("pk", flat=True)
    )


def _number_references(generated: list[GeneratedCase]) -> None:
    """Give each case the next reference of the year it was received, after what the counters hold."""
    years = sorted({f"{g.received_on.year % 100:02d}" for g in generated})
    references_reserve(dict.fromkeys(years, 0))  # make sure each counter row exists, then lock it
    last = dict(ReferenceCounter.objects.select_for_update().filter(year__in=years).values_list("year", "last_number"))
    generated.sort(key=lambda g: (g.received_on, g.order))
    for g in generated:
        year = f"{g.received_on.year % 100:02d}"
        last[year] += 1
        if last[year] > 999_999:
            raise ValueError(f"Too many complaints for 20{year}: references run out at 999 999.")
        g.case.reference = format_reference(year, last[year])
    references_reserve(last)


def _tables_analyse() -> None:
    """Refresh the planner's row counts of the tables the rule triggers join, inside the loading transaction.

    The statement-level rule triggers join the rows just copied to the complaints and
    decisions; their plans are made (and cached) on the tables' statistics, and planned for
    small tables those joins scan a table once per new row, so a load of 100,000 cases would
    take many minutes instead of seconds. ANALYZE counts this transaction's own rows and
    invalidates the cached plans; a small sample is enough for row counts (autovacuum
    analyses properly after the commit)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL default_statistics_target = 10")
        cursor.execute(f"ANALYZE {Complaint._meta.db_table}, {Decision._meta.db_table}")
        cursor.execute("RESET default_statistics_target")


def _casework_tables() -> list:
    models = [Complaint, Decision, Recommendation, ComplianceOutcome]
    return models + [model.pgh_event_model for model in models]


def casework_generate(
    *,
    periods: Iterable[ReviewPeriod],
    scale: float = 1.0,
    seed: int = 0,
    progress: Callable[[str], None] = lambda line: None,
) -> list[YearSummary]:
    """Generate and insert the casework of these review years in one transaction; returns a summary per year
    (the complaints still open at the end are counted in the last year). `progress` gets a line per step."""
    periods = sorted(set(periods))
    if not periods:
        raise ValueError("Give at least one review year.")
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"The scale must be more than 0 and at most {MAX_SCALE:g}.")
    last = periods[-1]
    started = time.monotonic()
    with transaction.atomic():
        generator = CaseGenerator(seed=seed, scale=scale, last=last, caseworker_ids=_caseworker_ids())
        councils = council_profiles(seed)
        generated: list[GeneratedCase] = []
        for period in periods:
            for council in councils:
                generated.extend(generator.council_year(council, period))
        after = ReviewPeriod(last.start_year + 1)
        for council in councils:
            for g in generator.council_year(council, after, open_only=True):
                g.period = last
                generated.append(g)
        _number_references(generated)
        summaries = _summaries(periods, generated)
        progress(f"Generated {len(generated):,} cases in {time.monotonic() - started:.1f} s.")
        by_period = defaultdict(list)
        for g in generated:
            by_period[g.period].append(g.case)
        stored = Complaint.objects.count()
        large = len(generated) >= BULK_LOAD_MIN_ROWS and len(generated) > stored
        with bulk_load(*_casework_tables()) if large else contextlib.nullcontext():
            loaded, analysed = stored, 0
            for period in periods:
                step = time.monotonic()
                for start in range(0, len(by_period[period]), BATCH_SIZE):
                    batch = by_period[period][start : start + BATCH_SIZE]
                    cases_insert(batch)
                    loaded += len(batch)
                    if loaded >= 2 * analysed:
                        _tables_analyse()
                        analysed = loaded
                progress(f"{summaries[period]} ({time.monotonic() - step:.1f} s)")
            step = time.monotonic()
        if large:
            progress(f"Rebuilt the indexes and foreign keys in {time.monotonic() - step:.1f} s.")
    return list(summaries.values())


def _summaries(periods: list[ReviewPeriod], generated: list[GeneratedCase]) -> dict[ReviewPeriod, YearSummary]:
    """Counts for the progress report (the statistics proper are computed in SQL by the reviews)."""
    summaries = {period: YearSummary(period.label) for period in periods}
    for g in generated:
        received_in = summaries.get(ReviewPeriod.containing(g.received_on))
        if received_in is not None:
            received_in.received += 1
        summary, case = summaries[g.period], g.case
        if case.decided_on is None:
            summary.open += 1
            continue
        summary.decisions += 1
        summary.investigations += case.outcome in INVESTIGATED_OUTCOMES
        summary.upheld += case.outcome == Outcome.UPHELD
        summary.satisfactory += case.upheld_kind == UpheldKind.SATISFACTORY_REMEDY_BY_COUNCIL
    return summaries
