"""Write the latest version of one council's letter for a year as PDF (or HTML)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ombudsman.periods import ReviewPeriod
from reviews import selectors
from reviews.letters import pdf
from reviews.letters.storage import pdf_read_verified
from reviews.models import ReviewYear


class Command(BaseCommand):
    help = "Write the latest version of a council's annual review letter to a file."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, metavar="GSS_CODE")
        parser.add_argument("--year", required=True, help="review year, e.g. 2019-20")
        parser.add_argument("--out", required=True, metavar="PATH")
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf")

    def handle(self, *args, council: str, year: str, out: str, format: str, **options):
        try:
            label = ReviewPeriod.from_label(year).label
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        review_year = ReviewYear.objects.filter(label=label).first()
        if review_year is None:
            raise CommandError(f"There is no review year {label}.")
        letter = selectors.letter_latest(review_year=review_year, gss_code=council.strip().upper())
        if letter is None:
            raise CommandError(f"There is no {label} letter for {council}. Run the review first.")
        target = Path(out)
        if format == "html":
            target.write_text(pdf.letter_html(letter.snapshot, inline_css=True), encoding="utf-8")
        else:
            if not letter.has_pdf:
                raise CommandError(
                    f"Version {letter.version} of the letter to {letter.council} has no PDF yet "
                    f"({letter.get_status_display().lower()})."
                )
            try:
                data = pdf_read_verified(letter)
            except ValidationError as refused:
                raise CommandError(f"{letter}: {refused.messages[0]}") from None
            target.write_bytes(data)
        self.stdout.write(f"Wrote version {letter.version} of the {label} letter to {letter.council} to {target}.")
