"""A letter's history: every approval action and delivery event is a LetterEvent, never changed.
The latest event also says who changed a letter while another manager was looking at it."""

from django.db.models import Max
from django.utils import timezone

from ombudsman.formatting import long_datetime
from reviews.models import AnnualLetter, LetterAction, LetterEvent

VERBS = {
    LetterAction.APPROVED: "approved this letter",
    LetterAction.RETURNED: "returned this letter for changes",
    LetterAction.PARAGRAPH: "changed this letter's council paragraph",
    LetterAction.REISSUED: "reissued this letter",
    LetterAction.SEND_REQUESTED: "asked for this letter to be sent",
    LetterAction.RESENT: "sent this letter's email again",
}


def event_record(*, letter: AnnualLetter, action: str, by=None, comment: str = "") -> LetterEvent:
    event = LetterEvent(letter=letter, action=action, by=by, comment=comment)
    event.full_clean()
    event.save()
    return event


def last_action_ids(letter_ids) -> dict[int, int]:
    return dict(
        LetterEvent.objects.filter(letter_id__in=letter_ids)
        .values("letter_id")
        .annotate(last=Max("pk"))
        .values_list("letter_id", "last")
        .order_by()
    )


def _when(moment) -> str:
    """'at 10:42' today, 'on 1 May 2019 at 10:42' before."""
    moment = timezone.localtime(moment)
    if moment.date() == timezone.localdate():
        return f"at {moment:%H:%M}"
    return f"on {long_datetime(moment)}"


def conflict_message(letter: AnnualLetter, by) -> str:
    """'Sam Second approved this letter at 10:42 while you were looking at it.'"""
    event = letter.actions.select_related("by").order_by("-pk").first()
    if event is not None and event.action in VERBS:
        if event.by_id is not None and by is not None and event.by_id == by.pk:
            return f"You already {VERBS[event.action]} {_when(event.at)}."
        who = str(event.by) if event.by_id else "The system"
        return f"{who} {VERBS[event.action]} {_when(event.at)} while you were looking at it."
    return (
        f"This letter changed while you were looking at it (it is now: {letter.get_status_display().lower()}). "
        "Read it again before you act on it."
    )
