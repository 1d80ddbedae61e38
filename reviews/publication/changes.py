"""A year's public changelog: each publication, withdrawal and republication (PublicationEvent)
and each letter corrected after the year was first published (a later version sent), oldest
first. The moment of the latest change is the open data files' Last-Modified."""

import datetime
from dataclasses import dataclass

from reviews.models import AnnualLetter, PublicationAction, PublicationEvent, ReviewYear


@dataclass(frozen=True)
class Change:
    at: datetime.datetime
    kind: str  # a PublicationAction, or "corrected"
    text: str


def year_changes(review_year: ReviewYear) -> list[Change]:
    """Two queries: the year's publication events, then its letters sent after the first publication."""
    events = list(PublicationEvent.objects.filter(review_year=review_year).order_by("at", "pk"))
    if not events:
        return []
    first = min(event.at for event in events)
    changes = [Change(event.at, event.action, _event_text(event, review_year.label)) for event in events]
    corrected = (
        AnnualLetter.objects.sent()
        .filter(review_year=review_year, version__gt=1, sent_at__gt=first)
        .select_related("council")
        .defer("snapshot")
        .order_by("sent_at", "pk")
    )
    changes += [
        Change(
            letter.sent_at,
            "corrected",
            f"Corrected letter to {letter.council.formal_name} (version {letter.version}): its figures replace "
            "those of the earlier version.",
        )
        for letter in corrected
    ]
    return sorted(changes, key=lambda change: change.at)


def _event_text(event: PublicationEvent, label: str) -> str:
    if event.action == PublicationAction.WITHDRAWN:
        return f"{label} withdrawn: {event.comment}"
    if event.action == PublicationAction.REPUBLISHED:
        return f"{label} published again."
    return f"{label} published."
