"""Print each council's counts, rates and the type averages for a review year.

Figures are written as in the site's tables (ombudsman.formatting): a percentage a whole number,
a figure per 100,000 always with one decimal place ("4.0" above "2.1"; the letters drop the
".0"), in the printed table and the CSV alike, as in the open data.

Columns are only appended (scripts read the CSV): the complaint overview's counts (dealt with,
not for us, assessed and closed; investigated is `investigations`) come last, for every year.
"""

from django.core.management.base import BaseCommand, CommandError

from councils.models import AuthorityType
from ombudsman.csvio import write_rows
from ombudsman.formatting import long_date, per_100k_in_table, percentage
from ombudsman.periods import ReviewPeriod
from reviews.models import AverageMethod, ReviewYear
from reviews.statistics.counts import year_statistics

HEADER = [
    "gss_code",
    "council",
    "authority_type",
    "investigations",
    "upheld",
    "uphold_rate",
    "compliance_outcomes",
    "complied",
    "compliance_rate",
    "satisfactory",
    "satisfactory_rate",
    "population",
    "upheld_per_100k",
    "dealt_with",
    "not_for_us",
    "assessed_closed",
]


class Command(BaseCommand):
    help = "Print every active council's counts and rates for a review year, then the averages per type."

    def add_arguments(self, parser):
        parser.add_argument("year", help="review year, e.g. 2019-20")
        parser.add_argument("--csv", action="store_true", help="write CSV to standard output")
        parser.add_argument(
            "--average-method",
            choices=AverageMethod.values,
            help="default: the review year's method, or pooled when the year is not set up",
        )
        parser.add_argument("--population-year", type=int, help="default: the review year's (start year - 1)")

    def handle(self, *args, year: str, csv: bool, average_method, population_year, **options):
        try:
            period = ReviewPeriod.from_label(year)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        review_year = ReviewYear.objects.filter(label=period.label).first()
        method = average_method or (review_year.average_method if review_year else AverageMethod.POOLED)
        if population_year is None and review_year is not None:
            population_year = review_year.population_year
        statistics = year_statistics(period, population_year=population_year, method=method)

        rows = []
        for row in statistics.councils:
            counts, figures = row.counts, row.figures
            rows.append(
                [
                    row.gss_code,
                    row.formal_name,
                    row.authority_type,
                    counts.investigations,
                    counts.upheld,
                    percentage(figures.uphold_rate),
                    counts.compliance_outcomes,
                    counts.complied,
                    percentage(figures.compliance_rate),
                    counts.satisfactory,
                    percentage(figures.satisfactory_rate),
                    "" if counts.population is None else counts.population,
                    per_100k_in_table(figures.upheld_per_100k),
                    counts.dealt_with,
                    counts.not_for_us,
                    counts.assessed_closed,
                ]
            )
        for authority_type in AuthorityType.comparison_groups():
            average = statistics.average_for(authority_type)
            if average is None:
                continue
            rows.append(
                [
                    "",
                    f"Average: {authority_type.label} ({method})",
                    authority_type.value,
                    "",
                    "",
                    percentage(average.uphold_rate),
                    "",
                    "",
                    percentage(average.compliance_rate),
                    "",
                    percentage(average.satisfactory_rate),
                    "",
                    per_100k_in_table(average.upheld_per_100k),
                    "",
                    "",
                    "",
                ]
            )
        if csv:
            write_rows(self.stdout, HEADER, rows)
            return
        self.stdout.write(
            f"Review year {period.label} ({long_date(period.start)} to {long_date(period.end)}), "
            f"average method {method}, population mid-{statistics.population_year}: "
            f"{len(statistics.councils)} councils active"
        )
        widths = [max(len(str(value)) for value in column) for column in zip(HEADER, *rows, strict=True)]
        for values in [HEADER, *rows]:
            self.stdout.write("  ".join(str(value).ljust(width) for value, width in zip(values, widths, strict=True)))
