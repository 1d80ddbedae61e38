"""The email of one outbox row. It carries no personal data: the council's name, the year, a
link to the council portal and (unless LETTER_EMAIL_ATTACH_PDF is off) the approved PDF, whose
SHA-256 is checked again before it is attached. Headers name the chief executive (To) and every
copy (Cc); the envelope goes to the row's recipient only."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from ombudsman.organisation import organisation_profile, sender
from reviews.letters.storage import pdf_read_verified
from reviews.letters.wording import correction_sentences
from reviews.models import CopyKind, OutboxMessage, OutboxStatus
from reviews.policy import PermanentDeliveryError


def portal_url() -> str:
    """Where council users sign in to their letters (the portal sits above this app: a setting)."""
    return settings.SITE_URL + settings.COUNCIL_PORTAL_PATH


def letter_email(message: OutboxMessage, *, to: str, copies: list[str]) -> EmailMultiAlternatives:
    """The email of one outbox row: headers name the chief executive and every copy, the
    envelope goes to this row's recipient only."""
    letter = message.letter
    snapshot = letter.snapshot
    letter_date = datetime.date.fromisoformat(snapshot["year"]["letter_date"])
    context = {
        "council_name": snapshot["council"]["formal_name"],
        "letter_year": letter_date.year,
        "period_end": datetime.date.fromisoformat(snapshot["year"]["end"]),
        "portal_url": portal_url(),
        "attached": settings.LETTER_EMAIL_ATTACH_PDF,
        "organisation_name": organisation_profile().name,
        "correction": correction_sentences(snapshot.get("correction")),
    }
    headers = {"Message-ID": message.message_id, "To": to, "Auto-Submitted": "auto-generated"}
    if copies:
        headers["Cc"] = ", ".join(copies)
    email = EmailMultiAlternatives(
        subject=("Corrected: " if context["correction"] else "")
        + f"Annual Review letter {letter_date.year}: {context['council_name']}",
        body=render_to_string("reviews/email/letter.txt", context),
        from_email=sender(),
        to=[message.recipient],
        headers=headers,
    )
    email.attach_alternative(render_to_string("reviews/email/letter.html", context), "text/html")
    if settings.LETTER_EMAIL_ATTACH_PDF:
        try:
            data = pdf_read_verified(letter)
        except ValidationError as exc:
            raise PermanentDeliveryError(exc.messages[0]) from None
        email.attach(letter.download_name, data, "application/pdf")
    return email


def message_email(message: OutboxMessage) -> EmailMultiAlternatives:
    """The email of a row, addressed to the letter's working addresses."""
    rows = list(
        OutboxMessage.objects.filter(letter_id=message.letter_id)
        .exclude(status__in=(OutboxStatus.CANCELLED, OutboxStatus.FAILED))  # addresses that work
        .values_list("recipient", "kind")
        .order_by("-pk")  # a chief executive's new address before the old one
    )
    to = next((recipient for recipient, kind in rows if kind == CopyKind.TO), message.recipient)
    rows.reverse()
    copies = [recipient for recipient, kind in rows if kind == CopyKind.CC]
    return letter_email(message, to=to, copies=copies)
