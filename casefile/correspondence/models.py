"""Correspondence: the templates managers edit, the letters of a case (sent and received) and the
emails that carry the sent ones. Registered with the casefile app through casefile.models (which
imports this module; this one names the Document model by its label, so there is no circle).

A sent letter's text is frozen when the caseworker sends it; its row then moves pending ->
rendering -> filed (its PDF kept on the case as a Document, its emails queued) or failed, claimed
by a conditional UPDATE so a task delivered twice files one PDF and queues each email once. A
letter received is filed at once, with the document it came as. Rows are never deleted.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from complaints.models import Complaint
from ombudsman.history import track
from ombudsman.outbox.rows import OutboxRow, outbox_constraints


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement of the complaint"
    ENQUIRY = "enquiry", "Enquiry to the council"
    INFORMATION_REQUEST = "information_request", "Request for information"
    DRAFT_DECISION = "draft_decision", "Draft decision for comments"
    FINAL_DECISION = "final_decision", "Final decision (statement of reasons)"


class Party(models.TextChoices):
    COMPLAINANT = "complainant", "The complainant"
    COUNCIL = "council", "The council"


class Direction(models.TextChoices):
    OUTGOING = "outgoing", "Sent"
    INCOMING = "incoming", "Received"


class Method(models.TextChoices):
    EMAIL = "email", "By email"
    POST = "post", "By post"


class FilingStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    RENDERING = "rendering", "Being prepared"
    FILED = "filed", "Filed"
    FAILED = "failed", "Could not be prepared"


@track()
class LetterTemplate(models.Model):
    """One template per kind of letter. Subject and body may use the named placeholders of
    casefile.correspondence.placeholders (checked when a manager saves one)."""

    kind = models.CharField(max_length=30, choices=LetterKind.choices, unique=True)
    addressed_to = models.CharField(
        max_length=20,
        choices=Party.choices,
        help_text="Who the letter is written to, unless the caseworker changes it.",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=20_000)
    response_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Working days the recipient has to reply ({response_due}); empty when no reply is asked for.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LetterKind.values), name="letter_template_kind_valid"),
            models.CheckConstraint(condition=Q(addressed_to__in=Party.values), name="letter_template_party_valid"),
            models.CheckConstraint(condition=~Q(subject=""), name="letter_template_subject_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="letter_template_body_not_empty"),
            models.CheckConstraint(
                condition=Q(response_days__isnull=True) | Q(response_days__gte=1, response_days__lte=120),
                name="letter_template_response_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class CorrespondenceQuerySet(models.QuerySet):
    def enquiries_awaiting_response(self):
        """Enquiries sent to the council (filed) that no recorded response answers yet."""
        answered = Correspondence.objects.filter(replies_to=OuterRef("pk"))
        return self.filter(
            direction=Direction.OUTGOING,
            kind=LetterKind.ENQUIRY,
            party=Party.COUNCIL,
            status=FilingStatus.FILED,
        ).exclude(Exists(answered))


@track()
class Correspondence(models.Model):
    """One letter of a case: sent (from a template, text frozen when sent) or received (with its document)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="correspondence")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    party = models.CharField(max_length=20, choices=Party.choices, help_text="Who it was sent to or came from.")
    kind = models.CharField(max_length=30, choices=LetterKind.choices, blank=True, help_text="Sent letters only.")
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=20_000, blank=True, help_text="A sent letter's text, as sent.")
    dated_on = models.DateField(help_text="The letter's date (sent) or the day it was received.")
    method = models.CharField(max_length=10, choices=Method.choices)
    recipient_name = models.CharField(max_length=300, blank=True)
    recipient_email = models.EmailField(blank=True)
    recipient_address = models.TextField(blank=True, help_text="The address lines printed on a sent letter.")
    posted_on = models.DateField(null=True, blank=True, help_text="When a sent letter was posted.")
    response_due = models.DateField(null=True, blank=True, help_text="When a reply is due (an enquiry).")
    replies_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The letter of ours this one answers (the council's response to an enquiry).",
    )
    document = models.ForeignKey(
        "casefile.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="correspondence"
    )
    status = models.CharField(max_length=10, choices=FilingStatus.choices, default=FilingStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    objects = CorrespondenceQuerySet.as_manager()

    class Meta:
        ordering = ["-dated_on", "-created_at", "-pk"]
        verbose_name_plural = "correspondence"
        indexes = [
            models.Index(fields=["complaint", "-dated_on"], name="correspondence_case_newest"),
            models.Index(
                fields=["complaint"],
                condition=Q(kind="enquiry", direction="outgoing"),
                name="correspondence_case_enquiries",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="correspondence_direction_valid"),
            models.CheckConstraint(condition=Q(party__in=Party.values), name="correspondence_party_valid"),
            models.CheckConstraint(condition=Q(method__in=Method.values), name="correspondence_method_valid"),
            models.CheckConstraint(condition=Q(status__in=FilingStatus.values), name="correspondence_status_valid"),
            models.CheckConstraint(condition=~Q(subject=""), name="correspondence_subject_not_empty"),
            models.CheckConstraint(
                condition=Q(direction=Direction.INCOMING, kind="", status=FilingStatus.FILED, document__isnull=False)
                | Q(direction=Direction.OUTGOING, kind__in=LetterKind.values) & ~Q(body=""),
                name="correspondence_received_is_filed_sent_has_kind_and_text",
            ),
            models.CheckConstraint(
                condition=~Q(status=FilingStatus.FILED) | Q(document__isnull=False),
                name="correspondence_filed_has_document",
            ),
            models.CheckConstraint(
                condition=~Q(direction=Direction.OUTGOING, method=Method.EMAIL) | ~Q(recipient_email=""),
                name="correspondence_email_has_address",
            ),
            models.CheckConstraint(
                condition=~Q(direction=Direction.OUTGOING, method=Method.POST) | Q(posted_on__isnull=False),
                name="correspondence_post_has_date",
            ),
            models.CheckConstraint(
                condition=Q(replies_to__isnull=True) | Q(direction=Direction.INCOMING),
                name="correspondence_only_received_letters_reply",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="correspondence_record_kept",
                operation=pgtrigger.Delete,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    """
                    RAISE EXCEPTION 'Correspondence is part of the case''s record: it cannot be deleted.'
                        USING ERRCODE = 'check_violation';
                    """
                ),
            ),
            pgtrigger.Trigger(
                name="correspondence_sent_text_fixed",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    """
                    IF NEW.complaint_id <> OLD.complaint_id OR NEW.direction <> OLD.direction
                       OR NEW.party <> OLD.party OR NEW.kind <> OLD.kind OR NEW.subject <> OLD.subject
                       OR NEW.body <> OLD.body OR NEW.dated_on <> OLD.dated_on
                       OR NEW.recipient_email <> OLD.recipient_email OR NEW.created_by_id <> OLD.created_by_id
                       OR (OLD.document_id IS NOT NULL AND NEW.document_id IS DISTINCT FROM OLD.document_id)
                    THEN
                        RAISE EXCEPTION 'What a letter said, to whom and when cannot be changed.'
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                    """
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.subject}"

    @property
    def is_sent(self) -> bool:
        return self.direction == Direction.OUTGOING


@track()
class CorrespondenceEmail(OutboxRow):
    """One email of a sent letter to one recipient (ombudsman.outbox): the idempotency key
    (letter, recipient) is unique, so filing a letter twice queues each email once."""

    correspondence = models.ForeignKey(Correspondence, on_delete=models.PROTECT, related_name="emails")
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="+", help_text="The letter's case (for its history)."
    )

    class Meta:
        ordering = ["correspondence", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["correspondence", "recipient"], name="correspondence_email_one_per_recipient"
            ),
            *outbox_constraints("correspondence_email"),
        ]
        indexes = [models.Index(fields=["status", "queued_at"], name="correspondence_email_queue")]

    def __str__(self) -> str:
        return f"{self.correspondence} to {self.recipient} ({self.get_status_display()})"
