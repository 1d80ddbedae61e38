"""Create review years with the default dates, signatory and narrative (idempotent)."""

import pghistory
from django.core.management.base import BaseCommand, CommandError

from ombudsman.periods import ReviewPeriod
from reviews.letters.years import new_year_defaults, review_year_create
from reviews.models import ReviewYear


class Command(BaseCommand):
    help = "Create each review year that does not exist yet, e.g. `create_review_years 2023-24 2024-25`."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", help="review years like 2024-25")

    def handle(self, *args, years: list[str], **options):
        try:
            periods = [ReviewPeriod.from_label(label) for label in years]
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        with pghistory.context(command="create_review_years"):
            for period in periods:
                if ReviewYear.objects.filter(label=period.label).exists():
                    self.stdout.write(f"Review year {period.label} already exists.")
                    continue
                review_year_create(**new_year_defaults(period))
                self.stdout.write(self.style.SUCCESS(f"Created review year {period.label}."))
