"""Writes of correspondence. Each runs in one transaction (filing renders its PDF outside one),
checks the rules in words a caseworker understands (the database checks them again) and lands in
the case's history.

A module per sub-job:
- templates: editing a letter template, and its preview;
- drafts: who a letter goes to, and a template filled in for a case;
- sending: sending a letter (its text and addressee frozen, queued for filing), marking it
  posted, sending a failed email again;
- filing: the filing task's work (the PDF kept on the case, its emails queued), failures and
  the sweep of letters stuck in filing;
- received: recording a letter received, and the enquiries awaiting a reply.
Every name is imported from here (`from casefile.correspondence import services`).
"""

from casefile.correspondence.services.drafts import (
    Addressee,
    Draft,
    addressee,
    letter_draft,
    letter_values,
    response_due,
)
from casefile.correspondence.services.filing import (
    email_idempotency_key,
    enqueue,
    letter_file,
    letter_file_name,
    letter_mark_failed,
    letters_sweep_stuck,
    printed,
)
from casefile.correspondence.services.received import (
    letter_received_record,
    open_enquiries,
)
from casefile.correspondence.services.sending import (
    email_resend_refusal,
    letter_email_resend,
    letter_mark_posted,
    letter_preview,
    letter_send,
)
from casefile.correspondence.services.templates import (
    letter_template_update,
    template_preview,
)

__all__ = [
    "Addressee",
    "Draft",
    "addressee",
    "email_idempotency_key",
    "email_resend_refusal",
    "enqueue",
    "letter_draft",
    "letter_email_resend",
    "letter_file",
    "letter_file_name",
    "letter_mark_failed",
    "letter_mark_posted",
    "letter_preview",
    "letter_received_record",
    "letter_send",
    "letter_template_update",
    "letter_values",
    "letters_sweep_stuck",
    "open_enquiries",
    "printed",
    "response_due",
    "template_preview",
]
