"""Casework and issued letters for the journeys, made through the services (real PDFs by
WeasyPrint, approval by a second manager, emails through the outbox), not by setting states."""

import datetime

from django.utils import timezone

from councils.models import Council
from reviews.approval import services as approval
from reviews.delivery import send
from reviews.letters import render
from reviews.models import AnnualLetter, LetterStatus, ReviewYear
from tests import factories


def councils_with_contacts(*names: tuple[str, str, str, str]) -> list[Council]:
    """(name, formal name, GSS code, authority type) -> councils, each with a chief executive."""
    councils = []
    for name, formal_name, gss_code, authority_type in names:
        council = factories.CouncilFactory(
            name=name, formal_name=formal_name, gss_code=gss_code, authority_type=authority_type
        )
        factories.ContactFactory(council=council, title="Dr", last_name=f"Chief of {name}")
        councils.append(council)
    return councils


def decisions(council: Council, day: datetime.date, *, upheld: int = 0, not_upheld: int = 0, satisfactory: int = 0):
    """Decided cases about `council` on `day`; each upheld one with remedies has complied on time."""
    for _ in range(upheld):
        decision = factories.DecisionFactory(
            complaint__council=council,
            complaint__received_on=day - datetime.timedelta(days=60),
            decided_on=day,
            upheld=True,
        )
        factories.RecommendationFactory(decision=decision)
        factories.ComplianceOutcomeFactory(decision=decision, recorded_on=day + datetime.timedelta(days=20))
    for _ in range(satisfactory):
        factories.DecisionFactory(
            complaint__council=council,
            complaint__received_on=day - datetime.timedelta(days=60),
            decided_on=day,
            satisfactory=True,
        )
    for _ in range(not_upheld):
        factories.DecisionFactory(
            complaint__council=council, complaint__received_on=day - datetime.timedelta(days=60), decided_on=day
        )


def issued_year(label: str, *, runner, approver, **values) -> ReviewYear:
    """Run the year (letters rendered in this process), approve every letter as `approver` and
    send them (emails to the locmem outbox): every letter ends `sent` with its real PDF."""
    review_year = factories.ReviewYearFactory(label=label, **values)
    render.review_run_start(review_year=review_year, by=runner)
    for letter in AnnualLetter.objects.filter(review_year=review_year):
        assert letter.status == LetterStatus.READY, (letter, letter.status, letter.error)
        approval.letter_approve(letter=letter, by=approver)
    send.letters_send(review_year=review_year, by=approver)
    statuses = set(AnnualLetter.objects.filter(review_year=review_year).values_list("status", flat=True))
    assert statuses == {LetterStatus.SENT}, statuses
    return review_year


def today() -> datetime.date:
    return timezone.localdate()
