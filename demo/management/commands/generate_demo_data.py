"""`manage.py generate_demo_data [--years 2019-20:2024-25] [--scale 1.0] [--seed N] [--replace | --if-empty]`."""

import time

import pghistory
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from complaints.bulk import cases_delete
from complaints.models import Complaint
from complaints.selectors import complaints_in_periods
from councils.models import Council
from demo.casefile import casefiles_delete
from demo.casework import MAX_SCALE, casework_generate
from demo.contacts import contacts_create
from ombudsman.periods import ReviewPeriod


def review_years(text: str) -> list[ReviewPeriod]:
    """'2019-20:2024-25' -> the six review years; '2022-23' -> one."""
    first, _, last = text.partition(":")
    try:
        start, end = ReviewPeriod.from_label(first), ReviewPeriod.from_label(last or first)
    except ValueError as exc:
        raise CommandError(f"--years: {exc}") from None
    if end < start:
        raise CommandError(f"--years: {end} is before {start}")
    return [ReviewPeriod(year) for year in range(start.start_year, end.start_year + 1)]


class Command(BaseCommand):
    help = (
        "Generate realistic synthetic casework for every council active in each review year, and a chief "
        "executive and link officer for every council that has none. Deterministic for a given seed (on a "
        "database without casework). Never duplicates casework: it stops with an error when complaints "
        "received or decided in those years already exist, unless --replace (delete that casework, with its "
        "case files, first) or "
        "--if-empty (do nothing if there is any casework at all, as `demo_setup` uses it). Contacts are only "
        "added where a council has none in the role."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", default="2019-20:2024-25", help="review years, FIRST:LAST or one year")
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = national volumes (about 20,000 a year)")
        parser.add_argument("--seed", type=int, default=1)
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--replace", action="store_true", help="delete the casework of those years (and its case files) first"
        )
        group.add_argument("--if-empty", action="store_true", help="do nothing if any casework exists")

    def handle(self, *args, years: str, scale: float, seed: int, replace: bool, if_empty: bool, **options):
        periods = review_years(years)
        if not 0 < scale <= MAX_SCALE:
            raise CommandError(f"--scale must be more than 0 and at most {MAX_SCALE:g}.")
        if not Council.objects.exists():
            raise CommandError("There are no councils: import the register first (manage.py import_councils).")
        if if_empty and Complaint.objects.exists():
            self.stdout.write("Casework already exists; no demo casework generated.")
            return
        label = f"{periods[0]} to {periods[-1]}" if len(periods) > 1 else str(periods[0])
        # One transaction: a failure (or Ctrl-C) leaves the database as it was, replaced casework included.
        with transaction.atomic(), pghistory.context(command="generate_demo_data", years=years, scale=scale, seed=seed):
            if complaints_in_periods(periods).exists():
                if not replace:
                    raise CommandError(
                        f"Casework already exists for {label}; nothing was generated. "
                        "Use --replace to delete it and generate again."
                    )
                records = casefiles_delete(complaints_in_periods(periods))
                if records:
                    self.stdout.write(f"Deleted {records:,} case-file records of {label}.")
                try:
                    deleted = cases_delete(complaints_in_periods(periods))
                except IntegrityError as exc:
                    raise CommandError(
                        f"Cannot delete the casework of {label}: other records refer to it ({exc})."
                    ) from None
                self.stdout.write(f"Deleted {deleted:,} complaints of {label}.")
            created = contacts_create(seed=seed)
            self.stdout.write(f"Demo contacts: {created} created.")
            self.stdout.write(f"Generating casework for {label} at scale {scale:g} (seed {seed}) ...")
            started = time.monotonic()
            summaries = casework_generate(
                periods=periods, scale=scale, seed=seed, progress=lambda line: self.stdout.write(f"  {line}")
            )
        total = sum(s.decisions + s.open for s in summaries)
        self.stdout.write(self.style.SUCCESS(f"Generated {total:,} complaints in {time.monotonic() - started:.1f} s."))
