"""Run a whole review year from the command line: set the year up, queue, render, wait, report.

With a broker (REDIS_URL) the letters go to the Celery workers and this command waits for them.
Without one it renders the letters itself, with --processes worker processes. Exit status 0
means every letter of the year is ready (or already approved or sent); otherwise the letters
that are not are listed and the status is 1.
"""

import datetime
import os
import time

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ombudsman.periods import ReviewPeriod
from reviews import selectors
from reviews.letters import render, years
from reviews.letters.render import render_locally
from reviews.letters.years import new_year_defaults
from reviews.models import AnnualLetter, AverageMethod, LetterStatus, ReviewYear


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Create or update a review year, render every letter, wait, and report failures (exit 1 if any)."

    def add_arguments(self, parser):
        parser.add_argument("year", help="review year, e.g. 2019-20")
        parser.add_argument("--letter-date", type=_date, metavar="YYYY-MM-DD")
        parser.add_argument("--publication-date", type=_date, metavar="YYYY-MM-DD")
        parser.add_argument("--average-method", choices=AverageMethod.values)
        parser.add_argument(
            "--processes",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="without a broker: how many processes render letters (default: up to 2)",
        )
        parser.add_argument("--timeout", type=int, default=3600, help="with a broker: seconds to wait at most")

    def handle(self, *args, year: str, processes: int, timeout: int, **options):
        try:
            period = ReviewPeriod.from_label(year)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        changes = {
            name: options[name]
            for name in ("letter_date", "publication_date", "average_method")
            if options.get(name) is not None
        }
        with pghistory.context(command="run_review", year=period.label):
            review_year = self.year_set_up(period, changes)
            local = settings.CELERY_TASK_ALWAYS_EAGER
            try:
                run = render.review_run_start(review_year=review_year, dispatch=not local)
            except render.ReviewBlocked as blocked:
                for problem in blocked.report.blocking:
                    self.stderr.write(f"{problem.title}: {problem.count}. {problem.hint}")
                    for example in problem.examples:
                        self.stderr.write(f"  {example['text']}")
                raise CommandError(f"The {period.label} review cannot run until these problems are fixed.") from None
            self.stdout.write(
                f"Review {period.label}: {run.queued} letter(s) to render"
                + (f" in {max(1, processes)} process(es)." if local else " by the Celery workers.")
            )
            if local:
                self.render_here(run, processes)
            else:
                self.wait(run, timeout)
        self.report(review_year)

    def year_set_up(self, period: ReviewPeriod, changes: dict) -> ReviewYear:
        review_year = ReviewYear.objects.filter(label=period.label).first()
        try:
            if review_year is None:
                review_year = years.review_year_create(**{**new_year_defaults(period), **changes})
                self.stdout.write(f"Created review year {period.label}.")
            elif changes:
                review_year = years.review_year_update(review_year=review_year, **changes)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        return review_year

    def render_here(self, run, processes: int) -> None:
        ids = list(
            AnnualLetter.objects.filter(run=run, status=LetterStatus.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        render_locally(ids, processes=processes, progress=lambda done: self.progress(run, done, len(ids)))

    def progress(self, run, done: int, total: int) -> None:
        if done == total or done % 25 == 0:
            progress = selectors.run_progress(run)
            self.stdout.write(f"  {progress.done} ready, {progress.failed} failed, {progress.waiting} waiting")

    def wait(self, run, timeout: int) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while True:
            progress = selectors.run_progress(run)
            line = f"  {progress.done} ready, {progress.failed} failed, {progress.waiting} waiting"
            if line != last:
                self.stdout.write(line)
                last = line
            if progress.finished:
                return
            if time.monotonic() > deadline:
                self.stderr.write(f"Gave up waiting after {timeout} s; the workers carry on.")
                return
            time.sleep(1)

    def report(self, review_year: ReviewYear) -> None:
        letters = list(selectors.live_letters(review_year))
        not_ready = [letter for letter in letters if letter.status not in AnnualLetter.WITH_PDF_STATUSES]
        if not not_ready:
            self.stdout.write(self.style.SUCCESS(f"All {len(letters)} letters for {review_year.label} are ready."))
            return
        for letter in not_ready:
            detail = f": {letter.error}" if letter.error else ""
            self.stderr.write(
                f"{letter.council.gss_code} {letter.council}: {letter.get_status_display().lower()}{detail}"
            )
        raise CommandError(f"{len(not_ready)} of {len(letters)} letters for {review_year.label} are not ready.")
