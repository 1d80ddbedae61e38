"""`manage.py generate_demo_casefile [--cases 8]`: notes, documents and correspondence on a sample of open cases."""

import time

import pghistory
from django.core.management.base import BaseCommand

from demo.casefile import SAMPLE, casefile_generate


class Command(BaseCommand):
    help = (
        "Add case files to a sample of open cases (one per council, spread over them): the complaint form, a "
        "call note, the acknowledgement and an enquiry to the council, and on every other case the council's "
        "response with a note. Does nothing when any case already has a note."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=SAMPLE, help="how many cases get a case file")

    def handle(self, *args, cases: int, **options):
        started = time.monotonic()
        with pghistory.context(command="generate_demo_casefile"):
            done = casefile_generate(count=cases)
        if not done:
            self.stdout.write("Case files exist already (or there are no open cases); none added.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Case files added to {len(done)} cases ({', '.join(c.reference for c in done)}) "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
