"""Who a letter goes to, and a template filled in for a case: the draft a caseworker edits before
sending it.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from casefile.correspondence.models import (
    LetterTemplate,
    Party,
)
from casefile.correspondence.placeholders import LetterValues, fill
from complaints.models import Complaint
from councils.selectors import casework_contact
from ombudsman.organisation import address_lines
from ombudsman.working_days import add_working_days


@dataclass(frozen=True)
class Addressee:
    name: str
    email: str
    lines: list[str]  # as printed above the letter


def addressee(complaint: Complaint, party: str) -> Addressee:
    """The complainant as recorded on the case, or the council's casework contact (its complaints
    contact, else its link officer; without either, the council itself, by post only)."""
    if party == Party.COMPLAINANT:
        name = complaint.complainant_name or "The complainant"
        return Addressee(name, complaint.complainant_email, [name, *address_lines(complaint.complainant_address)])
    council = str(complaint.council)
    contact = casework_contact(complaint.council_id)
    if contact is None:
        return Addressee(council, "", [council])
    return Addressee(
        contact.full_name, contact.email, [line for line in (contact.full_name, contact.job_title, council) if line]
    )


def letter_values(
    complaint: Complaint, *, party: str, by, letter_date: datetime.date, response_due: datetime.date | None
) -> LetterValues:
    decision = next(iter(complaint.decisions.filter(is_current=True)), None)
    return LetterValues(
        case_reference=complaint.reference,
        council=str(complaint.council),
        complainant_name=complaint.complainant_name or "the complainant",
        recipient_name=addressee(complaint, party).name,
        received_date=complaint.received_on,
        letter_date=letter_date,
        caseworker=str(by),
        response_due=response_due,
        decision_date=decision.decided_on if decision else None,
        decision_summary=decision.summary if decision else "",
    )


def response_due(template: LetterTemplate, letter_date: datetime.date) -> datetime.date | None:
    return add_working_days(letter_date, template.response_days) if template.response_days else None


@dataclass(frozen=True)
class Draft:
    party: str
    subject: str
    body: str
    response_due: datetime.date | None


def letter_draft(*, complaint: Complaint, template: LetterTemplate, by, party: str | None = None) -> Draft:
    """The template filled in for this case (what the caseworker then edits before sending)."""
    party = party or template.addressed_to
    today = timezone.localdate()
    due = response_due(template, today)
    values = letter_values(complaint, party=party, by=by, letter_date=today, response_due=due)
    return Draft(party, fill(template.subject, values), fill(template.body, values), due)
