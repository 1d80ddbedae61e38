"""Who gets a letter's email: the council's current chief executive (To), then its link officer,
monitoring officer, leader and chair of scrutiny where present (Cc). An address appears once,
under its first role; without a chief executive nobody gets the letter."""

from dataclasses import dataclass

from councils.models import Contact, ContactRole
from reviews.models import CopyKind

COPY_ROLES = (
    ContactRole.LINK_OFFICER,
    ContactRole.MONITORING_OFFICER,
    ContactRole.LEADER,
    ContactRole.SCRUTINY_CHAIR,
)


@dataclass(frozen=True)
class Recipient:
    email: str
    role: str
    kind: str


def letter_recipients(contacts: list[Contact]) -> list[Recipient]:
    """From one council's current contacts: the chief executive (To), then the copies; none
    without a chief executive. An address appears once, under its first role."""
    by_role = {contact.role: contact for contact in contacts if contact.is_current}
    chief = by_role.get(ContactRole.CHIEF_EXECUTIVE)
    if chief is None:
        return []
    recipients = [Recipient(chief.email.strip().lower(), ContactRole.CHIEF_EXECUTIVE, CopyKind.TO)]
    seen = {recipients[0].email}
    for role in COPY_ROLES:
        contact = by_role.get(role)
        if contact is not None and contact.email.strip().lower() not in seen:
            seen.add(contact.email.strip().lower())
            recipients.append(Recipient(contact.email.strip().lower(), role, CopyKind.CC))
    return recipients
