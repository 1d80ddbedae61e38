"""The named placeholders a letter template may use, and how a case fills them.

A template's subject and body are text with placeholders in braces, `{case_reference}`; a brace
meant literally is doubled (`{{`). Only the names below may be used, bare: no attribute or index
(`{council.name}`), no conversion or format (`{council!r}`, `{council:>9}`), so a template can never
reach anything but these values. A template using anything else is refused with the reason.
"""

import datetime
import string
from dataclasses import dataclass

from ombudsman.formatting import long_date

PLACEHOLDERS = {
    "case_reference": "The case reference, for example 19 012 345",
    "council": "The council's name, for example Bristol City Council",
    "complainant_name": "The complainant's name",
    "recipient_name": "The name of the person the letter is addressed to",
    "received_date": "The date the complaint was received",
    "letter_date": "The letter's date (the day it is sent)",
    "response_due": "The date a reply is due (the template's working days after the letter's date)",
    "decision_date": "The date of the decision, when there is one",
    "decision_summary": "The decision's summary, when there is one",
    "caseworker": "The name of the caseworker who sends the letter",
}


def placeholder_problems(text: str) -> list[str]:
    """What is wrong with a template's placeholders, one sentence each (empty when none)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return [
            "A brace is not closed: write placeholders as {case_reference}, and a brace meant literally as {{ or }}"
        ]
    problems = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name == "":
            problems.append("Empty braces {} are not a placeholder: name one, for example {case_reference}")
        elif name not in PLACEHOLDERS:
            problems.append(f"{{{name}}} is not a placeholder: use one of {', '.join(PLACEHOLDERS)}")
        elif spec or conversion:
            problems.append(f"Write the placeholder {{{name}}} without anything after its name")
    return list(dict.fromkeys(problems))


@dataclass(frozen=True)
class LetterValues:
    case_reference: str
    council: str
    complainant_name: str
    recipient_name: str
    received_date: datetime.date
    letter_date: datetime.date
    caseworker: str
    response_due: datetime.date | None = None
    decision_date: datetime.date | None = None
    decision_summary: str = ""

    def as_text(self) -> dict[str, str]:
        values = {}
        for name in PLACEHOLDERS:
            value = getattr(self, name)
            values[name] = long_date(value) if isinstance(value, datetime.date) else (value or "")
        return values


def fill(text: str, values: LetterValues) -> str:
    """The text with its placeholders filled (a checked template: see placeholder_problems)."""
    return text.format_map(values.as_text())


def sample_values(*, letter_date: datetime.date, response_due: datetime.date | None, caseworker: str) -> LetterValues:
    """Made-up values for a manager's preview of a template (no real case's personal data)."""
    return LetterValues(
        case_reference="26 001 234",
        council="Exampleshire County Council",
        complainant_name="Alex Sample",
        recipient_name="Alex Sample",
        received_date=letter_date - datetime.timedelta(days=14),
        letter_date=letter_date,
        caseworker=caseworker,
        response_due=response_due,
        decision_date=letter_date,
        decision_summary="We found fault by the council, which caused Alex Sample injustice. The council has agreed "
        "to apologise and to pay £250.",
    )
