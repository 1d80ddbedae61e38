"""Open data: one CSV and one JSON file per published review year, with a stable schema.

The schema is COLUMNS, in this order, documented in docs/open-data.md; a test asserts both,
so changing a column is a deliberate, versioned decision (SCHEMA_VERSION). New columns are only
ever appended at the end (schema 2: the complaint overview of letters from 2024-25 and the
small-number flags; schema 3: no_letter_reason), so a reader of an earlier schema finds every
column where it was. One row per council with a sent letter in the year, with the figures that
council's letter printed (its frozen snapshot) and the year's average for its authority type,
and one row per council active in the year without a sent letter, with no figures and the
reason recorded (`no_letter_reason`), all ordered by GSS code: a council is never silently
missing. An empty cell
(null in JSON) means there is no figure: nothing was measured, the council's type has no
average, or the year's letters did not give a figure per 100,000 residents. Never 0 for "no figure".
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ombudsman.attribution import OGL, OGL_URL, attributions_data
from ombudsman.csvio import iter_csv_lines
from published.selectors import corrected_on, without_letter, year_averages
from reviews.models import AverageMethod, LetterFormat, ReviewYear, shows_per_100k
from reviews.selectors import published_letters
from reviews.statistics.figures import FEW_CASES, few_cases

SCHEMA_VERSION = 3
LICENCE, LICENCE_URL = OGL, OGL_URL


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


COLUMNS = [
    Column("review_year", "text", "The review year, 1 April to 31 March, for example 2023-24."),
    Column("gss_code", "text", "The council's ONS GSS code, for example E07000129."),
    Column("council_name", "text", "The council's name as written in its annual review letter."),
    Column(
        "authority_type",
        "text",
        "The comparison group: county, district, metropolitan_borough, unitary, london_borough or other.",
    ),
    Column("region", "text", "The council's region (empty if not recorded)."),
    Column("investigations", "integer", "Decisions after an investigation: upheld plus not upheld."),
    Column("upheld", "integer", "Investigations where we found fault (upheld decisions)."),
    Column(
        "uphold_rate",
        "integer",
        "Upheld as a percentage of investigations, rounded half up. Empty with no investigations.",
    ),
    Column(
        "satisfactory_remedies",
        "integer",
        "Upheld decisions where the council had already provided a satisfactory remedy before the complaint reached us.",
    ),
    Column(
        "satisfactory_remedy_rate",
        "integer",
        "Satisfactory remedies as a percentage of upheld decisions, rounded half up. Empty with no upheld decisions.",
    ),
    Column("compliance_outcomes", "integer", "Compliance outcomes recorded in the year."),
    Column(
        "complied",
        "integer",
        "Compliance outcomes where the council complied with our recommendations, on time or late.",
    ),
    Column(
        "compliance_rate",
        "integer",
        "Complied as a percentage of compliance outcomes, rounded half up. Empty with no compliance outcomes.",
    ),
    Column(
        "population",
        "integer",
        "The ONS mid-year population estimate used for the figure per 100,000 residents. "
        "Empty if not known or if the year's letters had no such figure.",
    ),
    Column(
        "upheld_per_100k",
        "decimal",
        "Upheld decisions per 100,000 residents, one decimal place, rounded half up. "
        "Empty without a population or before 2022-23.",
    ),
    Column(
        "average_uphold_rate",
        "integer",
        "The average uphold rate of the council's authority type. Empty for type other.",
    ),
    Column("average_compliance_rate", "integer", "The average compliance rate of the council's authority type."),
    Column(
        "average_satisfactory_remedy_rate",
        "integer",
        "The average satisfactory remedy rate of the council's authority type.",
    ),
    Column("average_upheld_per_100k", "decimal", "The average upheld decisions per 100,000 residents of the type."),
    Column(
        "average_method",
        "text",
        "How the averages were calculated: pooled (the type's cases taken together) or mean (the mean of the "
        "councils' rates, councils with nothing measured left out).",
    ),
    Column(
        "letter_format",
        "text",
        "The year's letter format: detailed (to 2021-22), detailed_per_100k (2022-23) or investigations (from 2023-24).",
    ),
    Column("population_year", "integer", "The mid-year of the ONS estimate used for the year's letters."),
    Column("publication_date", "date", "The day the year's figures were published (YYYY-MM-DD)."),
    Column(
        "letter_version", "integer", "The version of the council's letter the figures come from (1 unless reissued)."
    ),
    Column(
        "dealt_with",
        "integer",
        "Complaints and enquiries decided in the year, whatever the outcome (the complaint overview, from 2024-25). "
        "Equals not_for_us + assessed_and_closed + investigations. Empty before 2024-25.",
    ),
    Column(
        "not_for_us",
        "integer",
        "Complaints not for us or not ready for us to investigate: advice given, incomplete or invalid, or referred "
        "back to the council for local resolution. Empty before 2024-25.",
    ),
    Column(
        "assessed_and_closed",
        "integer",
        "Complaints closed after initial enquiries, without an investigation. Empty before 2024-25.",
    ),
    Column(
        "uphold_rate_few_cases",
        "boolean",
        f"true when uphold_rate rests on fewer than {FEW_CASES} investigations, so a small change in cases moves "
        "it a lot; false otherwise; empty with no uphold rate.",
    ),
    Column(
        "satisfactory_remedy_rate_few_cases",
        "boolean",
        f"true when satisfactory_remedy_rate rests on fewer than {FEW_CASES} upheld decisions; false otherwise; "
        "empty with no satisfactory remedy rate.",
    ),
    Column(
        "compliance_rate_few_cases",
        "boolean",
        f"true when compliance_rate rests on fewer than {FEW_CASES} compliance outcomes; false otherwise; "
        "empty with no compliance rate.",
    ),
    Column(
        "corrected_on",
        "date",
        "When the letter the figures come from corrected an earlier version that was sent (YYYY-MM-DD); "
        "empty if it was not a correction.",
    ),
    Column(
        "no_letter_reason",
        "text",
        "Why the council was sent no letter for the year (its figures are then empty); empty when it was sent one.",
    ),
]
HEADER = [column.name for column in COLUMNS]
PERCENTAGES = {"uphold_rate", "compliance_rate", "satisfactory_rate"}


def _number(value: str | None, key: str) -> int | Decimal | None:
    if value is None or value == "":
        return None
    return int(Decimal(value)) if key in PERCENTAGES else Decimal(value).quantize(Decimal("0.1"))


def _year_cells(review_year: ReviewYear, average: dict | None, published_on: datetime.date) -> dict:
    """The cells every row of the year has: the type's average and the year's method and dates."""
    average = average or {}
    per_100k = shows_per_100k(review_year.letter_format)
    return {
        "average_uphold_rate": _number(average.get("uphold_rate"), "uphold_rate"),
        "average_compliance_rate": _number(average.get("compliance_rate"), "compliance_rate"),
        "average_satisfactory_remedy_rate": _number(average.get("satisfactory_rate"), "satisfactory_rate"),
        "average_upheld_per_100k": _number(average.get("upheld_per_100k"), "upheld_per_100k") if per_100k else None,
        "average_method": review_year.average_method,
        "letter_format": review_year.letter_format,
        "population_year": review_year.population_year,
        "publication_date": published_on,
    }


def year_rows(review_year: ReviewYear) -> list[dict]:
    """Every row of the year's file, as Python values (None for no figure); three queries."""
    letters = published_letters().filter(review_year=review_year)
    averages = year_averages(letters)
    per_100k = shows_per_100k(review_year.letter_format)
    published_on = review_year.published_on
    rows = letters.values(
        "version",
        "council__gss_code",
        "council__region",
        "snapshot__council",
        "snapshot__counts",
        "snapshot__figures",
        "snapshot__correction",
    ).order_by("council__gss_code")
    result = []
    for row in rows:
        council, counts, figures = row["snapshot__council"], row["snapshot__counts"], row["snapshot__figures"]
        flags = few_cases(counts)
        year_cells = _year_cells(review_year, averages.get((review_year.pk, council["authority_type"])), published_on)
        result.append(
            {
                "review_year": review_year.label,
                "gss_code": row["council__gss_code"],
                "council_name": council["formal_name"],
                "authority_type": council["authority_type"],
                "region": row["council__region"],
                "investigations": counts["investigations"],
                "upheld": counts["upheld"],
                "uphold_rate": _number(figures["uphold_rate"], "uphold_rate"),
                "satisfactory_remedies": counts["satisfactory"],
                "satisfactory_remedy_rate": _number(figures["satisfactory_rate"], "satisfactory_rate"),
                "compliance_outcomes": counts["compliance_outcomes"],
                "complied": counts["complied"],
                "compliance_rate": _number(figures["compliance_rate"], "compliance_rate"),
                "population": counts["population"] if per_100k else None,
                "upheld_per_100k": _number(figures["upheld_per_100k"], "upheld_per_100k") if per_100k else None,
                **year_cells,
                "letter_version": row["version"],
                # Frozen only by letters that printed the overview (2024-25 format on): None before.
                "dealt_with": counts.get("dealt_with"),
                "not_for_us": counts.get("not_for_us"),
                "assessed_and_closed": counts.get("assessed_closed"),
                "uphold_rate_few_cases": flags["uphold_rate"],
                "satisfactory_remedy_rate_few_cases": flags["satisfactory_rate"],
                "compliance_rate_few_cases": flags["compliance_rate"],
                "corrected_on": corrected_on({"correction": row["snapshot__correction"]}),
                "no_letter_reason": "",
            }
        )
    for reason in without_letter([review_year]):
        council = reason.council
        year_cells = _year_cells(review_year, averages.get((review_year.pk, council.authority_type)), published_on)
        result.append(
            dict.fromkeys(HEADER)
            | {
                "review_year": review_year.label,
                "gss_code": council.gss_code,
                "council_name": council.formal_name,
                "authority_type": council.authority_type,
                "region": council.region,
                **year_cells,
                "no_letter_reason": reason.reason,
            }
        )
    return sorted(result, key=lambda row: row["gss_code"])


def csv_lines(review_year: ReviewYear) -> Iterator[str]:
    rows = year_rows(review_year)
    return iter_csv_lines(HEADER, ([_csv_cell(row[name]) for name in HEADER] for row in rows))


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def json_document(review_year: ReviewYear) -> dict:
    rows = year_rows(review_year)
    period = review_year.period
    return {
        "metadata": {
            "title": f"Annual review figures {review_year.label}",
            "schema_version": SCHEMA_VERSION,
            "review_year": review_year.label,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "publication_date": review_year.published_on.isoformat(),
            "average_method": review_year.average_method,
            "average_method_description": AverageMethod(review_year.average_method).label,
            "letter_format": review_year.letter_format,
            "letter_format_description": LetterFormat(review_year.letter_format).label,
            "population_year": review_year.population_year,
            "source": "The figures printed in each council's annual review letter as sent.",
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "attribution": attributions_data(),
            "row_count": len(rows),
            "columns": [{"name": c.name, "type": c.type, "description": c.description} for c in COLUMNS],
        },
        "councils": [{name: _json_value(row[name]) for name in HEADER} for row in rows],
    }


def file_name(review_year: ReviewYear, extension: str) -> str:
    return f"annual-review-figures-{review_year.label}.{extension}"
