"""The emails of sent letters, through the shared outbox (ombudsman.outbox.send): one row per
recipient, sent exactly once, retried, its delivery status shown on the case.

The email carries the letter's text and its PDF as filed on the case (its SHA-256 checked again
before it is attached); From is the organisation, the Message-ID the row's."""

import hashlib

from django.core.files.storage import storages
from django.core.mail import EmailMessage

from casefile.correspondence.models import CorrespondenceEmail
from casefile.tasks import letter_email_send_task
from ombudsman.organisation import sender
from ombudsman.outbox.policy import PermanentDeliveryError
from ombudsman.outbox.send import Outbox


def letter_attachment(document) -> bytes:
    """The filed PDF, exactly as filed. Raises PermanentDeliveryError if it is gone or changed."""
    if document is None or document.is_deleted:
        raise PermanentDeliveryError("The letter's PDF is no longer on the case.")
    try:
        with storages["private"].open(document.stored_name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise PermanentDeliveryError("The letter's PDF is missing from storage.") from None
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise PermanentDeliveryError("The letter's PDF has changed since it was filed: it was not sent.")
    return data


class LetterEmails(Outbox):
    model = CorrespondenceEmail

    def rows(self):
        return CorrespondenceEmail.objects.select_related(
            "correspondence__document", "correspondence__created_by", "correspondence__complaint"
        )

    def cancelled_because(self, message) -> str:
        return "Not sent: the letter was sent by post." if message.correspondence.posted_on else ""

    def email(self, message) -> EmailMessage:
        letter = message.correspondence
        body = (
            f"{letter.body}\n\n"
            f"{letter.created_by}\n\n"
            f"Our reference: {letter.complaint.reference}\n"
            "The letter is attached as a PDF. Please quote our reference if you reply."
        )
        email = EmailMessage(
            subject=f"{letter.subject} (our reference {letter.complaint.reference})",
            body=body,
            from_email=sender(),
            to=[message.recipient],
            headers={"Message-ID": message.message_id},
        )
        email.attach(letter.document.file_name, letter_attachment(letter.document), "application/pdf")
        return email

    def enqueue(self, message_ids: list[int]) -> None:
        self.enqueue_each(letter_email_send_task, message_ids)


LETTER_EMAILS = LetterEmails()
