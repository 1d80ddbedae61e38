"""Reads for the public pages: only what is published (reviews.selectors.published_years and
published_letters, both ReviewYear.objects.published()), so a year not published yet, or
withdrawn, answers as if it did not exist (a withdrawn year shows only its notice). A council
active in a published year without a sent letter shows with the reason recorded for it.

Public figures are read from the sent letters' frozen snapshots, the figures the councils were
sent, so later casework never changes a published number. The year's average for an authority
type is the one its letters printed (when a reissue printed a different one, the one most
letters printed; see `year_averages`).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Sum
from django.db.models.fields.json import KT

from councils.models import AuthorityType, Council
from ombudsman.formatting import per_100k_in_table, percentage
from reviews.models import AnnualLetter, NoLetterReason, ReviewYear
from reviews.selectors import headline_figures, published_letters, published_years, snapshot_count
from reviews.statistics.figures import STATISTICS
from reviews.statistics.printed import LetterFigures


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


def council_table_rows(review_year: ReviewYear) -> QuerySet[AnnualLetter]:
    """A published year's letters with their figures as sortable columns (one query per page)."""
    return (
        published_letters()
        .filter(review_year=review_year)
        .select_related("council")
        .defer("snapshot")
        .annotate(
            investigations=snapshot_count("investigations"),
            upheld=snapshot_count("upheld"),  # the cases of each rate, to flag small numbers
            compliance_outcomes=snapshot_count("compliance_outcomes"),
            **headline_figures(),
        )
        .order_by("council__sort_name")
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
        return per_100k_in_table(value) if key == "upheld_per_100k" else percentage(value)

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
            investigations=Sum(snapshot_count("investigations")),
            upheld=Sum(snapshot_count("upheld")),
            satisfactory=Sum(snapshot_count("satisfactory")),
            compliance_outcomes=Sum(snapshot_count("compliance_outcomes")),
            complied=Sum(snapshot_count("complied")),
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


# A council's page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilYear:
    letter: AnnualLetter
    review_year: ReviewYear
    figures: LetterFigures

    @property
    def corrected_on(self) -> datetime.date | None:
        """The date of the correction this (latest sent) letter is, if it corrects an earlier one."""
        return corrected_on(self.letter.snapshot)

    @property
    def correction_reason(self) -> str:
        return (self.letter.snapshot.get("correction") or {}).get("reason", "")


def corrected_on(snapshot: dict) -> datetime.date | None:
    correction = snapshot.get("correction")
    return datetime.date.fromisoformat(correction["date"]) if correction else None


def council_years(council: Council) -> list[CouncilYear]:
    """The council's published letters, oldest year first, with the year's average for its
    type (two queries)."""
    letters = list(
        published_letters().filter(council=council).select_related("review_year").order_by("review_year__label")
    )
    averages = year_averages(published_letters().filter(review_year__in=[letter.review_year_id for letter in letters]))
    return [
        CouncilYear(
            letter=letter,
            review_year=letter.review_year,
            figures=LetterFigures.from_snapshot(
                letter.snapshot,
                average=averages.get((letter.review_year_id, letter.snapshot["council"]["authority_type"])),
            ),
        )
        for letter in letters
    ]


def published_letter(*, gss_code: str, label: str) -> AnnualLetter | None:
    """A council's published letter of a year, for download."""
    return (
        published_letters()
        .filter(council__gss_code=gss_code, review_year__label=label)
        .select_related("council", "review_year")
        .first()
    )


def published_year(label: str) -> ReviewYear | None:
    return published_years().filter(label=label).first()


def listed_year(label: str) -> ReviewYear | None:
    """A year published or withdrawn (its changelog is public either way)."""
    return (published_years() | ReviewYear.objects.withdrawn()).filter(label=label).first()


# Councils without a letter -------------------------------------------------------------------


def without_letter(review_years=None, council: Council | None = None) -> QuerySet[NoLetterReason]:
    """Reasons recorded for councils with no sent letter in published years (of `review_years`
    and `council` when given), by council name."""
    sent = AnnualLetter.objects.sent().filter(review_year=OuterRef("review_year"), council=OuterRef("council"))
    reasons = NoLetterReason.objects.filter(review_year__in=published_years()).filter(~Exists(sent))
    if review_years is not None:
        reasons = reasons.filter(review_year__in=review_years)
    if council is not None:
        reasons = reasons.filter(council=council)
    return reasons.select_related("council", "review_year").order_by("council__name")
