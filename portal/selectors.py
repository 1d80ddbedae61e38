"""Reads for the council portal: a council user's sent letters, with their figures as sent.

A council user reaches only their own council's letters, and only once sent
(reviews.selectors.sent_letters): every query here starts from the user's council, so a guessed
id of another council's letter, a draft or an approved letter not yet sent finds nothing (404).

A reissued letter's earlier versions stay downloadable by the council they were sent to, each
with the date the next version replaced it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Min, OuterRef, QuerySet, Subquery

from reviews.models import AnnualLetter
from reviews.selectors import sent_letters
from reviews.statistics.printed import LetterFigures


def council_letters(council_id: int) -> QuerySet[AnnualLetter]:
    """The council's current sent letter of each year, newest year first."""
    return sent_letters().filter(council_id=council_id).select_related("review_year").order_by("-review_year__label")


def council_letter(council_id: int, pk: int) -> AnnualLetter | None:
    """Any version of the council's letters that was sent (the current one or one replaced since)."""
    return (
        AnnualLetter.objects.sent()
        .filter(council_id=council_id, pk=pk)
        .select_related("council", "review_year")
        .first()
    )


def replaced_versions(council_id: int) -> QuerySet[AnnualLetter]:
    """The council's sent versions that a later sent version replaced, each with `replaced_on`
    (when the next version was sent), newest version first; one query."""
    replaced_on = (
        AnnualLetter.objects.sent()
        .filter(
            council_id=OuterRef("council_id"),
            review_year_id=OuterRef("review_year_id"),
            version__gt=OuterRef("version"),
        )
        .values("review_year_id")
        .annotate(first=Min("sent_at"))
        .values("first")
    )
    return (
        AnnualLetter.objects.sent()
        .filter(council_id=council_id)
        .annotate(replaced_on=Subquery(replaced_on))
        .filter(replaced_on__isnull=False)
        .order_by("review_year_id", "-version")
    )


def council_year_letter(council_id: int, label: str) -> AnnualLetter | None:
    return council_letters(council_id).select_related("council").filter(review_year__label=label).first()


@dataclass(frozen=True)
class PortalYear:
    letter: AnnualLetter
    figures: LetterFigures
    published: bool
    earlier_versions: list[AnnualLetter] = field(default_factory=list)


def portal_years(council_id: int, today: datetime.date) -> list[PortalYear]:
    """Each year with a sent letter, its figures as sent (the letter's snapshot), newest first,
    with the versions it replaced (newest first)."""
    earlier = defaultdict(list)
    for version in replaced_versions(council_id):
        earlier[version.review_year_id].append(version)
    return [
        PortalYear(
            letter=letter,
            figures=LetterFigures.from_snapshot(letter.snapshot),
            published=letter.review_year.publication_date <= today,
            earlier_versions=earlier[letter.review_year_id],
        )
        for letter in council_letters(council_id)
    ]
