"""Transfers after a reorganisation (DOMAIN.md "Reorganisation: cases follow the successor"): a
manager moves an abolished council's open cases (not yet decided) to its successor, from the
successor's first day. Each case keeps the council it was received against (`received_against`,
set to the council it leaves unless already set), so its history and the annexes still say
whom the complaint was about. A council with one successor hands over all its open cases at
once; a council split between two has each case placed by a person (several at a time).

One UPDATE moves the cases: its WHERE clause re-checks that each is still open and still the
council's, so a case decided (or moved) meanwhile is left alone. The history triggers record
each case's change within a context that carries the reason.
"""

from collections.abc import Collection

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from complaints.selectors import open_cases
from councils.models import Council, Succession
from ombudsman.formatting import counted, long_date


def transfer_reason(succession: Succession) -> str:
    """The reason each transferred case's history gives."""
    return (
        f"Reorganisation: {succession.predecessor} was replaced on {long_date(succession.on)}; "
        f"its open case moves to its successor, {succession.successor}"
    )


def transfer_blocker(council: Council, successions: list[Succession], today=None) -> str | None:
    """Why the council's cases cannot be transferred yet, or None."""
    today = today or timezone.localdate()
    if not successions:
        return f"{council} has no successor: its cases stay with it."
    first_day = min(succession.on for succession in successions)
    if today < first_day:
        return f"{council}'s successors take over its open cases from {long_date(first_day)}."
    return None


@transaction.atomic
def cases_transfer(
    *, predecessor: Council, successor: Council, complaint_ids: Collection[int] | None = None, today=None
) -> int:
    """Move the predecessor's open cases to its successor; returns how many moved.

    complaint_ids=None moves all of them, which only a council with one successor may do; with
    ids, only those of them that are still the predecessor's open cases move."""
    successions = list(Succession.objects.filter(predecessor=predecessor).select_related("predecessor", "successor"))
    if blocker := transfer_blocker(predecessor, successions, today):
        raise ValidationError(blocker)
    succession = next((s for s in successions if s.successor_id == successor.pk), None)
    if succession is None:
        raise ValidationError({"successor": f"{successor} is not a successor of {predecessor}"})
    cases = open_cases(predecessor)
    if complaint_ids is None:
        if len(successions) > 1:
            raise ValidationError(
                f"{predecessor} was split between {counted(len(successions), 'council')}: "
                "choose which of them takes each case"
            )
    else:
        if not complaint_ids:
            raise ValidationError({"cases": "Choose the cases to transfer"})
        cases = cases.filter(pk__in=complaint_ids)
    with pghistory.context(reason=transfer_reason(succession)):
        return cases.update(
            council=successor,
            received_against=Coalesce(F("received_against"), F("council")),
            updated_at=timezone.now(),
        )
