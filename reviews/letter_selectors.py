"""Reads for the managers' letter pages: the year's letters table, one letter with its versions,
history and emails. Figures come from each letter's snapshot (JSON), never from casework, so a
page of letters is a fixed number of queries whatever its length."""

from dataclasses import dataclass

from django.db.models import Count, DecimalField, IntegerField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from reviews.models import AnnualLetter, LetterEvent, OutboxMessage, OutboxStatus, ReviewYear, shows_per_100k
from reviews.statistics import format_per_100k, format_percentage


def _figure(name: str) -> Cast:
    """A figure of the snapshot as a number: percentages are whole numbers, per 100,000 has one decimal."""
    output = DecimalField(max_digits=9, decimal_places=1) if name == "upheld_per_100k" else IntegerField()
    return Cast(KT(f"snapshot__figures__{name}"), output)


def letter_list(review_year: ReviewYear) -> QuerySet[AnnualLetter]:
    """The year's live letters with their headline figures as sortable columns."""
    return (
        AnnualLetter.objects.filter(review_year=review_year)
        .exclude(status__in=AnnualLetter.NOT_LIVE_STATUSES)
        .select_related("council", "review_year", "approved_by")
        .defer("snapshot")
        .annotate(
            uphold_rate=_figure("uphold_rate"),
            compliance_rate=_figure("compliance_rate"),
            satisfactory_rate=_figure("satisfactory_rate"),
            upheld_per_100k=_figure("upheld_per_100k"),
        )
        .order_by("council__name")
    )


def live_snapshots(review_year: ReviewYear) -> QuerySet[AnnualLetter]:
    """Only what letters_out_of_date compares (id, council, snapshot): half the time of whole rows."""
    return (
        AnnualLetter.objects.filter(review_year=review_year)
        .exclude(status__in=AnnualLetter.NOT_LIVE_STATUSES)
        .only("pk", "council_id", "snapshot")
        .order_by()
    )


def letter_for_page(review_year: ReviewYear, pk: int) -> AnnualLetter | None:
    return (
        AnnualLetter.objects.filter(pk=pk, review_year=review_year)
        .select_related("council", "review_year", "approved_by", "generated_by", "updated_by", "run", "run__started_by")
        .first()
    )


def letter_versions(letter: AnnualLetter) -> QuerySet[AnnualLetter]:
    """Every version of this council's letter for the year, newest first."""
    return (
        AnnualLetter.objects.filter(council_id=letter.council_id, review_year_id=letter.review_year_id)
        .select_related("approved_by", "council", "review_year")
        .defer("snapshot")
        .order_by("-version")
    )


def letter_history(letter: AnnualLetter) -> QuerySet[LetterEvent]:
    """The actions on every version of this council's letter for the year, newest first."""
    return (
        LetterEvent.objects.filter(letter__council_id=letter.council_id, letter__review_year_id=letter.review_year_id)
        .select_related("by", "letter")
        .defer("letter__snapshot")
        .order_by("-at", "-pk")
    )


def letter_emails(letter: AnnualLetter) -> QuerySet[OutboxMessage]:
    return (
        OutboxMessage.objects.filter(letter=letter).select_related("requested_by").order_by("-kind", "role", "pk")
    )  # "to" first


def year_emails(review_year: ReviewYear) -> dict[str, int]:
    """How many of the year's emails are in each state (one query)."""
    return OutboxMessage.objects.filter(letter__review_year=review_year).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in OutboxStatus.values}
    )


@dataclass(frozen=True)
class FigureRow:
    statistic: str
    council: str
    average: str
    based_on: str


def letter_figures(snapshot: dict) -> list[FigureRow]:
    """The letter's figures beside the type's averages, as printed ("" where there is none)."""
    figures, counts = snapshot["figures"], snapshot["counts"]
    average = snapshot.get("average") or {}
    rows = [
        FigureRow(
            "Complaints upheld",
            format_percentage(figures["uphold_rate"]),
            format_percentage(average.get("uphold_rate")),
            f"{counts['upheld']} of {counts['investigations']} investigations",
        ),
        FigureRow(
            "Compliance with recommendations",
            format_percentage(figures["compliance_rate"]),
            format_percentage(average.get("compliance_rate")),
            f"{counts['complied']} of {counts['compliance_outcomes']} compliance outcomes",
        ),
        FigureRow(
            "Satisfactory remedy by the council",
            format_percentage(figures["satisfactory_rate"]),
            format_percentage(average.get("satisfactory_rate")),
            f"{counts['satisfactory']} of {counts['upheld']} upheld decisions",
        ),
    ]
    if shows_per_100k(snapshot["year"]["letter_format"]):
        population = counts["population"]
        rows.append(
            FigureRow(
                "Upheld decisions per 100,000 residents",
                format_per_100k(figures["upheld_per_100k"]),
                format_per_100k(average.get("upheld_per_100k")),
                f"population {population:,}" if population else "population not known",
            )
        )
    return rows
