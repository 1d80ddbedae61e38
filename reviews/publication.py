"""What is public, and the figures it shows.

A review year is public when its publication date has come (today in Europe/London) and at
least one of its letters has been sent. Every public read goes through `published_years()`
/ `published_letters()` / `is_published()`, so nothing about a year shows before that day,
whether or not the daily task `publish_due_years` has run yet; the task only records
`ReviewYear.published_at` and logs it.

A council's letter for a year is the latest version that was sent (status sent, or
superseded by a reissue after it was sent; never a withdrawn letter, a draft or an approved
letter not yet sent). Public figures are read from those letters' frozen snapshots, the figures
the councils were sent, so later casework never changes a published number. The year's
average for an authority type is the one its letters printed (when a reissue printed a
different one, the one most letters printed; see `year_averages`).
"""

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from councils.models import AuthorityType
from reviews.models import AnnualLetter, LetterStatus, ReviewYear, shows_per_100k
from reviews.statistics import STATISTICS, format_per_100k, format_percentage

logger = logging.getLogger(__name__)

SENT = Q(sent_at__isnull=False, status__in=(LetterStatus.SENT, LetterStatus.SUPERSEDED))


def local_today() -> datetime.date:
    """Today in the site's time zone (Europe/London): publication happens at local midnight."""
    return timezone.localdate()


def sent_letters() -> QuerySet[AnnualLetter]:
    """Each council's current sent letter per year: the latest version that was sent."""
    newer = AnnualLetter.objects.filter(
        SENT, council=OuterRef("council"), review_year=OuterRef("review_year"), version__gt=OuterRef("version")
    )
    return AnnualLetter.objects.filter(SENT).filter(~Exists(newer))


def published_years(today: datetime.date | None = None) -> QuerySet[ReviewYear]:
    """Years whose publication date has come and that have a sent letter, newest first."""
    today = today or local_today()
    has_sent = Exists(AnnualLetter.objects.filter(SENT, review_year=OuterRef("pk")))
    return ReviewYear.objects.filter(has_sent, publication_date__lte=today).order_by("-label")


def is_published(review_year: ReviewYear, today: datetime.date | None = None) -> bool:
    return published_years(today).filter(pk=review_year.pk).exists()


def published_letters(today: datetime.date | None = None) -> QuerySet[AnnualLetter]:
    """Sent letters of published years. The same rule as published_years(): a letter that was
    sent puts its year among them as soon as the year's publication date has come."""
    today = today or local_today()
    return sent_letters().filter(review_year__publication_date__lte=today)


def publish_due_years(*, now: datetime.datetime | None = None) -> list[ReviewYear]:
    """Record the publication of every year that has become public (idempotent: a year is
    recorded once, by a conditional update). Returns the years recorded by this call."""
    now = now or timezone.now()
    recorded = []
    for review_year in published_years(timezone.localdate(now)).filter(published_at__isnull=True):
        if ReviewYear.objects.filter(pk=review_year.pk, published_at__isnull=True).update(published_at=now):
            review_year.published_at = now
            recorded.append(review_year)
            logger.info("Review year %s is published (publication date %s)", review_year, review_year.publication_date)
    return recorded


# Figures from snapshots --------------------------------------------------------------------


@dataclass(frozen=True)
class Statistic:
    """One statistic of one council and year, against its type's average."""

    key: str
    title: str
    value: Decimal | None
    average: Decimal | None
    per_100k: bool = False
    based_on: str = ""

    @property
    def text(self) -> str:
        return format_per_100k(self.value) if self.per_100k else format_percentage(self.value)

    @property
    def average_text(self) -> str:
        return format_per_100k(self.average) if self.per_100k else format_percentage(self.average)

    @property
    def no_figure(self) -> str:
        return NO_FIGURE[self.key]


NO_FIGURE = {
    "uphold_rate": "No investigations",
    "compliance_rate": "No compliance outcomes",
    "satisfactory_rate": "No upheld decisions",
    "upheld_per_100k": "No population estimate",
}
STATISTIC_TITLES = {
    "uphold_rate": "Complaints upheld",
    "compliance_rate": "Compliance with recommendations",
    "satisfactory_rate": "Satisfactory remedy provided by the council",
    "upheld_per_100k": "Upheld decisions per 100,000 residents",
}


def counted(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@dataclass(frozen=True)
class LetterFigures:
    """What one sent letter says about its council's year, read from its snapshot."""

    label: str
    letter_format: str
    average_method: str
    population_year: int
    counts: dict
    figures: dict
    average: dict | None

    @classmethod
    def from_snapshot(cls, snapshot: dict, average: dict | None = None) -> "LetterFigures":
        """`average` replaces the snapshot's own (the year's average on public pages)."""
        year = snapshot["year"]
        return cls(
            label=year["label"],
            letter_format=year["letter_format"],
            average_method=year["average_method"],
            population_year=year["population_year"],
            counts=snapshot["counts"],
            figures=snapshot["figures"],
            average=snapshot["average"] if average is None else average,
        )

    @property
    def shows_per_100k(self) -> bool:
        return shows_per_100k(self.letter_format)

    def value(self, key: str) -> Decimal | None:
        if key == "upheld_per_100k" and not self.shows_per_100k:
            return None
        return _decimal(self.figures.get(key))

    def average_value(self, key: str) -> Decimal | None:
        if key == "upheld_per_100k" and not self.shows_per_100k:
            return None
        return _decimal((self.average or {}).get(key))

    @property
    def statistics(self) -> list[Statistic]:
        keys = STATISTICS if self.shows_per_100k else STATISTICS[:3]
        return [
            Statistic(
                key=key,
                title=STATISTIC_TITLES[key],
                value=self.value(key),
                average=self.average_value(key),
                per_100k=key == "upheld_per_100k",
                based_on=self.based_on(key),
            )
            for key in keys
        ]

    def based_on(self, key: str) -> str:
        """What the figure is a share of; empty where there is no figure."""
        counts = self.counts
        match key:
            case "uphold_rate" if counts["investigations"]:
                return f"{counted(counts['upheld'], 'upheld decision')} of {counted(counts['investigations'], 'investigation')}"
            case "compliance_rate" if counts["compliance_outcomes"]:
                return f"{counts['complied']:,} of {counted(counts['compliance_outcomes'], 'compliance outcome')}"
            case "satisfactory_rate" if counts["upheld"]:
                return f"{counts['satisfactory']:,} of {counted(counts['upheld'], 'upheld decision')}"
            case "upheld_per_100k" if counts.get("population"):
                return f"Population {counts['population']:,} (mid-{self.population_year})"
        return ""

    @property
    def population(self) -> int | None:
        return self.counts.get("population") if self.shows_per_100k else None


def year_averages(letters: QuerySet[AnnualLetter]) -> dict[tuple[int, str], dict]:
    """(review year id, authority type) -> the average its letters printed, in one grouped query.
    Where letters of one type disagree (a reissue after a casework change), the average most of
    them printed wins, then the one of the latest letter."""
    rows = (
        letters.exclude(snapshot__council__authority_type=AuthorityType.OTHER)
        .values("review_year_id", "snapshot__council__authority_type", "snapshot__average")
        .annotate(letters=Count("pk"), latest=Max("pk"))
        .order_by()
    )
    averages: dict[tuple[int, str], dict] = {}
    best: dict[tuple[int, str], tuple[int, int]] = {}
    for row in rows:
        key = (row["review_year_id"], row["snapshot__council__authority_type"])
        rank = (row["letters"], row["latest"])
        if row["snapshot__average"] is not None and (key not in best or rank > best[key]):
            best[key], averages[key] = rank, row["snapshot__average"]
    return averages


# The national page ---------------------------------------------------------------------------


def _count(key: str):
    return Cast(KT(f"snapshot__counts__{key}"), IntegerField())


def _figure(key: str, places: int = 0):
    return Cast(KT(f"snapshot__figures__{key}"), DecimalField(max_digits=9, decimal_places=places))


def council_table_rows(review_year: ReviewYear) -> QuerySet[AnnualLetter]:
    """A published year's letters with their figures as sortable columns (one query per page)."""
    return (
        published_letters()
        .filter(review_year=review_year)
        .select_related("council")
        .defer("snapshot")
        .annotate(
            investigations=_count("investigations"),
            uphold_rate=_figure("uphold_rate"),
            compliance_rate=_figure("compliance_rate"),
            satisfactory_rate=_figure("satisfactory_rate"),
            upheld_per_100k=_figure("upheld_per_100k", 1),
        )
        .order_by("council__name")
    )


@dataclass(frozen=True)
class TypeFigures:
    authority_type: str
    councils: int
    investigations: int
    upheld: int
    satisfactory: int
    compliance_outcomes: int
    complied: int
    average: dict | None

    @property
    def label(self) -> str:
        return AuthorityType(self.authority_type).label

    def average_text(self, key: str) -> str:
        value = (self.average or {}).get(key)
        return format_per_100k(value) if key == "upheld_per_100k" else format_percentage(value)

    @property
    def averages(self) -> dict[str, str]:
        return {key: self.average_text(key) for key in STATISTICS}


def type_figures(review_year: ReviewYear) -> list[TypeFigures]:
    """Per authority type in a published year: councils, totals of their letters' counts and
    the type's average (two grouped queries), in the order of AuthorityType."""
    letters = published_letters().filter(review_year=review_year)
    averages = year_averages(letters)
    rows = (
        letters.values(authority_type=KT("snapshot__council__authority_type"))
        .annotate(
            councils=Count("pk"),
            investigations=Sum(_count("investigations")),
            upheld=Sum(_count("upheld")),
            satisfactory=Sum(_count("satisfactory")),
            compliance_outcomes=Sum(_count("compliance_outcomes")),
            complied=Sum(_count("complied")),
        )
        .order_by()
    )
    by_type = {
        row["authority_type"]: TypeFigures(
            average=averages.get((review_year.pk, row["authority_type"])),
            **row,
        )
        for row in rows
    }
    return [by_type[member.value] for member in AuthorityType if member.value in by_type]
