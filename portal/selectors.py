"""Reads for the council portal: a council user's sent letters, with their figures as sent.

A council user reaches only their own council's letters, and only once sent
(reviews.selectors.sent_letters): every query here starts from the user's council, so a guessed
id of another council's letter, a draft or an approved letter not yet sent finds nothing (404).
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from reviews.models import AnnualLetter
from reviews.selectors import sent_letters
from reviews.statistics.printed import LetterFigures


def council_letters(council_id: int) -> QuerySet[AnnualLetter]:
    """The council's current sent letter of each year, newest year first."""
    return sent_letters().filter(council_id=council_id).select_related("review_year").order_by("-review_year__label")


def council_letter(council_id: int, pk: int) -> AnnualLetter | None:
    return council_letters(council_id).select_related("council").filter(pk=pk).first()


def council_year_letter(council_id: int, label: str) -> AnnualLetter | None:
    return council_letters(council_id).select_related("council").filter(review_year__label=label).first()


@dataclass(frozen=True)
class PortalYear:
    letter: AnnualLetter
    figures: LetterFigures
    published: bool


def portal_years(council_id: int, today: datetime.date) -> list[PortalYear]:
    """Each year with a sent letter, its figures as sent (the letter's snapshot), newest first."""
    return [
        PortalYear(
            letter=letter,
            figures=LetterFigures.from_snapshot(letter.snapshot),
            published=letter.review_year.publication_date <= today,
        )
        for letter in council_letters(council_id)
    ]
