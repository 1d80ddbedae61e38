"""Review years, their letters and the runs that render them.

Rules kept by the database as well as by forms and services:
- a review year is labelled like "2019-20" and unique; its letters go out after the period
  ends and are published no earlier than they are dated;
- a letter is one version of one council's letter for one year: (council, year, version) is
  unique, and at most one version per council and year is live (not superseded or withdrawn);
- a letter with a PDF (ready and beyond) carries the file's name and its SHA-256;
- approval freezes a letter: once approved, sent or superseded, a trigger refuses any change
  of its snapshot, PDF, checksum or version, and an approved or sent letter never goes back
  to draft (a change is a reissue: a new version, the old one superseded and kept);
- a sent letter has `sent_at`; a letter returned for changes carries the comment;
- a year is public exactly while `published_at` is set (ReviewYear.objects.published(),
  AnnualLetter.objects.published()); a withdrawn year has `withdrawn_at` and a reason instead,
  never both; each publication, withdrawal and republication is a PublicationEvent;
- a council of a year with no sent letter carries at most one NoLetterReason;
- every approval action is a LetterEvent (the letter's history); every email is an
  OutboxMessage with a unique idempotency key and Message-ID (see reviews.delivery).
The figures a letter prints are frozen in `snapshot` when it is queued (see
reviews.snapshots), so later casework edits never change an issued letter silently: the
letter is flagged out of date instead. PDFs live in the "private" storage, never under a
public URL; `pdf_name` is the storage name.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from councils.models import ContactRole, Council
from ombudsman.formatting import long_date
from ombudsman.history import track
from ombudsman.outbox.rows import OutboxRow, outbox_constraints
from ombudsman.outbox.rows import OutboxStatus as OutboxStatus  # the letters' outbox states, named here too
from ombudsman.periods import ReviewPeriod
from ombudsman.richtext import link_problems


class AverageMethod(models.TextChoices):
    POOLED = "pooled", "Pooled: all the type's cases together"
    MEAN = "mean", "Mean of the councils' rates"


class LetterFormat(models.TextChoices):
    DETAILED = "detailed", "Detailed investigations, no figure per 100,000 residents (to 2021-22)"
    DETAILED_PER_100K = (
        "detailed_per_100k",
        "Detailed investigations and upheld decisions per 100,000 residents (2022-23)",
    )
    INVESTIGATIONS = "investigations", "Investigations and upheld decisions per 100,000 residents (2023-24)"
    OVERVIEW = (
        "overview",
        "Complaint overview, then investigations and upheld decisions per 100,000 residents (from 2024-25)",
    )

    @classmethod
    def for_start_year(cls, start_year: int) -> "LetterFormat":
        if start_year <= 2021:
            return cls.DETAILED
        if start_year == 2022:
            return cls.DETAILED_PER_100K
        if start_year == 2023:
            return cls.INVESTIGATIONS
        return cls.OVERVIEW


def shows_per_100k(letter_format: str) -> bool:
    return letter_format != LetterFormat.DETAILED


def says_detailed(letter_format: str) -> bool:
    return letter_format in (LetterFormat.DETAILED, LetterFormat.DETAILED_PER_100K)


def shows_overview(letter_format: str) -> bool:
    """From 2024-25 the statistics open with the complaint overview (dealt with, not for us,
    assessed and closed, investigated), frozen in the snapshot's counts."""
    return letter_format == LetterFormat.OVERVIEW


# A year's narrative, in the order the letter prints it (reviews.letters.wording).
NARRATIVE_FIELDS = (
    "intro",
    "context",
    "reading_statistics",
    "explain_upheld",
    "explain_compliance",
    "explain_satisfactory",
    "averages",
    "publication",
    "resources",
    "closing",
)
DATE_TOKEN = "{date}"  # noqa: S105 - a placeholder, not a secret
# Link addresses a year's text may name in braces: each letter fills in its own (reviews.letters.wording).
LINK_TARGETS = ("council_page", "figures_page")
# The publication sentence every letter printed before it was a section of its own; {date} is
# the year's publication date.
PUBLICATION_SENTENCE = (
    "This data will be uploaded to our interactive map, Your council's performance, "
    "along with a copy of this letter on {date}."
)


class ReviewYearQuerySet(models.QuerySet):
    def published(self):
        """The years the public sees: published and not withdrawn since. The one rule every
        public page, file and feed reads (AnnualLetter.objects.published() applies it to letters)."""
        return self.filter(published_at__isnull=False)

    def withdrawn(self):
        """Years withdrawn after publication and not republished: shown publicly as a notice only."""
        return self.filter(published_at__isnull=True, withdrawn_at__isnull=False)


@track()
class ReviewYear(models.Model):
    label = models.CharField(max_length=7, unique=True, help_text="The review year, for example 2019-20.")
    letter_date = models.DateField(help_text="The date printed on the letters.")
    publication_date = models.DateField(help_text="The day the letters and figures are published.")
    signatory_name = models.CharField(max_length=120)
    signatory_title = models.CharField(max_length=200, help_text="First line under the name.")
    signatory_title_2 = models.CharField(max_length=200, blank=True, help_text="Second line under the name (optional).")
    average_method = models.CharField(max_length=10, choices=AverageMethod.choices, default=AverageMethod.POOLED)
    letter_format = models.CharField(max_length=20, choices=LetterFormat.choices)
    population_year = models.PositiveSmallIntegerField(
        help_text="Mid-year of the ONS population estimate used for the figure per 100,000 residents."
    )
    # The narrative, section by section (reviews.letters.narrative): plain text, paragraphs at blank
    # lines, links written [text](https://...); {date}, {council_page} and {figures_page} are filled in.
    intro = models.TextField("introduction")
    context = models.TextField("the year's context", blank=True)
    reading_statistics = models.TextField("complaint statistics")
    explain_upheld = models.TextField("complaints upheld", blank=True)
    explain_compliance = models.TextField("compliance with recommendations", blank=True)
    explain_satisfactory = models.TextField("satisfactory remedies", blank=True)
    averages = models.TextField("the averages", blank=True)
    publication = models.TextField("publication", default=PUBLICATION_SENTENCE)
    resources = models.TextField("resources")
    closing = models.TextField("closing paragraph", blank=True)
    published_at = models.DateTimeField(null=True, blank=True, help_text="When the year was made public.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the scheduled check published it.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="When a published year was withdrawn.")
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True, help_text="Why the year was withdrawn (shown publicly).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewYearQuerySet.as_manager()

    class Meta:
        ordering = ["-label"]
        constraints = [
            models.CheckConstraint(condition=Q(label__regex=r"^[0-9]{4}-[0-9]{2}$"), name="review_year_label_format"),
            models.CheckConstraint(
                condition=Q(publication_date__gte=models.F("letter_date")),
                name="review_year_published_after_letters",
                violation_error_message="The publication date cannot be before the letter date.",
            ),
            models.CheckConstraint(
                condition=Q(average_method__in=AverageMethod.values), name="review_year_average_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(letter_format__in=LetterFormat.values), name="review_year_letter_format_valid"
            ),
            models.CheckConstraint(condition=~Q(signatory_name=""), name="review_year_signatory_not_empty"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="review_year_published_or_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="review_year_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_published(self) -> bool:
        """What ReviewYear.objects.published() keeps."""
        return self.published_at is not None

    @property
    def published_on(self):
        """The local day it was published (None if it is not)."""
        return timezone.localdate(self.published_at) if self.published_at else None

    @property
    def withdrawn_on(self):
        return timezone.localdate(self.withdrawn_at) if self.withdrawn_at else None

    @property
    def period(self) -> ReviewPeriod:
        return ReviewPeriod.from_label(self.label)

    @property
    def shows_per_100k(self) -> bool:
        return shows_per_100k(self.letter_format)

    @property
    def shows_overview(self) -> bool:
        return shows_overview(self.letter_format)

    def clean(self):
        from django.core.exceptions import ValidationError

        try:
            period = ReviewPeriod.from_label(self.label)
        except ValueError as exc:
            raise ValidationError({"label": str(exc)}) from None
        errors = {}
        if self.letter_date and self.letter_date <= period.end:
            errors["letter_date"] = f"The letter date must be after the period ends ({long_date(period.end)})."
        if self.letter_date and self.publication_date and self.publication_date < self.letter_date:
            errors["publication_date"] = "The publication date cannot be before the letter date."
        for name in NARRATIVE_FIELDS:
            problems = link_problems(getattr(self, name) or "", LINK_TARGETS)
            if problems:
                errors[name] = problems
        if self.publication is not None and DATE_TOKEN not in self.publication:
            errors.setdefault("publication", []).append(
                f"Write {DATE_TOKEN} where the publication date goes, for example “… along with a copy of this "
                f"letter on {DATE_TOKEN}.”"
            )
        if errors:
            raise ValidationError(errors)


@track()
class CouncilParagraph(models.Model):
    """A paragraph a manager adds to one council's letter for one year."""

    review_year = models.ForeignKey(ReviewYear, on_delete=models.CASCADE, related_name="council_paragraphs")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="review_paragraphs")
    text = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review_year", "council"], name="council_paragraph_one_per_year"),
            models.CheckConstraint(condition=~Q(text=""), name="council_paragraph_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.review_year}"


class ReviewRun(models.Model):
    """One press of "Run review": which letters it queued, when, by whom. Progress is counted
    from the statuses of the letters it queued."""

    review_year = models.ForeignKey(ReviewYear, on_delete=models.CASCADE, related_name="runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    queued = models.PositiveIntegerField(default=0, help_text="How many letters this run queued.")

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.review_year} run at {self.started_at:%d/%m/%Y %H:%M}"


def letter_download_name(*, label: str, council_name: str, version: int) -> str:
    """annual-review-2024-25-blaby-v2.pdf: the year, the council's short (ONS) name and the
    version, so two versions of one letter never share a name."""
    return f"annual-review-{label}-{slugify(council_name)}-v{version}.pdf"


def letter_storage_name(letter_id: int, version: int) -> str:
    """Deterministic: a re-render of the same letter version replaces the same file."""
    return f"letters/{letter_id // 1000:04d}/letter-{letter_id}-v{version}.pdf"


class LetterStatus(models.TextChoices):
    PENDING = "pending", "Waiting to render"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Draft ready"
    RETURNED = "returned", "Returned for changes"
    FAILED = "failed", "Failed"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUPERSEDED = "superseded", "Superseded"


DRAFT_STATUSES = (
    LetterStatus.PENDING,
    LetterStatus.RENDERING,
    LetterStatus.READY,
    LetterStatus.RETURNED,
    LetterStatus.FAILED,
)
ISSUED_STATUSES = (LetterStatus.APPROVED, LetterStatus.SENT)
WITH_PDF_STATUSES = (LetterStatus.READY, LetterStatus.RETURNED, LetterStatus.APPROVED, LetterStatus.SENT)
FROZEN_STATUSES = (LetterStatus.APPROVED, LetterStatus.SENT, LetterStatus.SUPERSEDED)
NOT_LIVE_STATUSES = (LetterStatus.SUPERSEDED, LetterStatus.WITHDRAWN)
# A letter that was sent: sent now, or superseded by a reissue after it was sent.
WAS_SENT = Q(sent_at__isnull=False, status__in=(LetterStatus.SENT, LetterStatus.SUPERSEDED))


class AnnualLetterQuerySet(models.QuerySet):
    """The filters every reader of letters shares."""

    def live(self):
        """The current version of each council's letter (not superseded or withdrawn)."""
        return self.exclude(status__in=NOT_LIVE_STATUSES)

    def issued(self):
        """Approved or sent (live and frozen)."""
        return self.filter(status__in=ISSUED_STATUSES)

    def with_pdf(self):
        """Live letters with a rendered PDF: drafts ready or returned, approved, sent."""
        return self.filter(status__in=WITH_PDF_STATUSES)

    def sent(self):
        """Every version that was sent, including those reissued since."""
        return self.filter(WAS_SENT)

    def latest_sent(self):
        """Each council's current sent letter per year: the latest version that was sent."""
        newer = AnnualLetter.objects.sent().filter(
            council=models.OuterRef("council"),
            review_year=models.OuterRef("review_year"),
            version__gt=models.OuterRef("version"),
        )
        return self.sent().filter(~models.Exists(newer))

    def published(self):
        """Each council's current sent letter in the published years: all that the public sees
        of letters (the rule of ReviewYear.objects.published())."""
        return self.latest_sent().filter(review_year__published_at__isnull=False)


@track()
class AnnualLetter(models.Model):
    Status = LetterStatus

    DRAFT_STATUSES = DRAFT_STATUSES
    ISSUED_STATUSES = ISSUED_STATUSES
    WITH_PDF_STATUSES = WITH_PDF_STATUSES
    FROZEN_STATUSES = FROZEN_STATUSES
    NOT_LIVE_STATUSES = NOT_LIVE_STATUSES

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="annual_letters")
    review_year = models.ForeignKey(ReviewYear, on_delete=models.PROTECT, related_name="letters")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    snapshot = models.JSONField(help_text="Everything the letter prints, frozen when it was queued.")
    pdf_name = models.CharField(max_length=200, blank=True, help_text="Name of the PDF in private storage.")
    pdf_sha256 = models.CharField("SHA-256 of the PDF", max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(null=True, blank=True)
    run = models.ForeignKey(ReviewRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="letters")
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(null=True, blank=True, help_text="When the current PDF was rendered.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who last changed the content of this letter (queued, re-queued, paragraph, returned, reissued).",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the chief executive's email was accepted by the mail server."
    )
    return_comment = models.TextField(blank=True, help_text="Why the letter was last returned for changes.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnualLetterQuerySet.as_manager()

    class Meta:
        ordering = ["review_year", "council__name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["council", "review_year", "version"], name="letter_unique_version"),
            models.UniqueConstraint(
                fields=["council", "review_year"],
                condition=~Q(status__in=NOT_LIVE_STATUSES),
                name="letter_one_live_per_council_year",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="letter_version_positive"),
            models.CheckConstraint(condition=Q(status__in=LetterStatus.values), name="letter_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=WITH_PDF_STATUSES) | (~Q(pdf_name="") & Q(pdf_sha256__regex=r"^[0-9a-f]{64}$")),
                name="letter_with_pdf_has_checksum",
            ),
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.SENT) | Q(sent_at__isnull=False),
                name="letter_sent_has_sent_at",
                violation_error_message="A sent letter records when it was sent.",
            ),
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.RETURNED) | ~Q(return_comment=""),
                name="letter_returned_has_comment",
                violation_error_message="Say why the letter is returned.",
            ),
        ]
        indexes = [models.Index(fields=["review_year", "status"], name="letter_year_status")]
        triggers = [
            # Approval fixes the letter: what was approved (and sent) is what stays on file.
            pgtrigger.Trigger(
                name="letter_frozen_after_approval",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    """
                    IF OLD.status IN ('approved', 'sent', 'superseded') AND (
                        NEW.snapshot IS DISTINCT FROM OLD.snapshot
                        OR NEW.pdf_name IS DISTINCT FROM OLD.pdf_name
                        OR NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256
                        OR NEW.version IS DISTINCT FROM OLD.version
                        OR NEW.council_id IS DISTINCT FROM OLD.council_id
                        OR NEW.review_year_id IS DISTINCT FROM OLD.review_year_id
                    ) THEN
                        RAISE EXCEPTION 'An approved, sent or superseded letter cannot change: reissue it as a new version.'
                            USING ERRCODE = 'check_violation';
                    END IF;
                    IF (OLD.status = 'approved' AND NEW.status NOT IN ('approved', 'sent', 'superseded', 'withdrawn'))
                        OR (OLD.status = 'sent' AND NEW.status NOT IN ('sent', 'superseded', 'withdrawn'))
                        OR (OLD.status = 'superseded' AND NEW.status <> 'superseded') THEN
                        RAISE EXCEPTION 'A letter cannot go from % back to %: reissue it as a new version.', OLD.status, NEW.status
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                    """
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.review_year} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status in DRAFT_STATUSES

    @property
    def is_live(self) -> bool:
        """The current version (not superseded or withdrawn): what AnnualLetter.objects.live() keeps."""
        return self.status not in NOT_LIVE_STATUSES

    @property
    def is_issued(self) -> bool:
        """Approved or sent: what AnnualLetter.objects.issued() keeps."""
        return self.status in ISSUED_STATUSES

    @property
    def has_pdf(self) -> bool:
        """A superseded version keeps the PDF it had (only letters with a PDF can be reissued)."""
        if self.status == self.Status.SUPERSEDED:
            return bool(self.pdf_name and self.pdf_sha256)
        return self.status in self.WITH_PDF_STATUSES and bool(self.pdf_name)

    @property
    def storage_name(self) -> str:
        return letter_storage_name(self.pk, self.version)

    @property
    def file_stem(self) -> str:
        """E07000129-blaby-district-council: the code and the name the letter was addressed to."""
        name = (self.snapshot or {}).get("council", {}).get("formal_name") or self.council.formal_name
        return f"{self.council.gss_code}-{slugify(name)}"

    @property
    def download_name(self) -> str:
        """The one file name people get for this PDF, wherever they download it (portal, public
        pages, managers' pages) or receive it (email): see letter_download_name."""
        name = (self.snapshot or {}).get("council", {}).get("name") or self.council.name
        return letter_download_name(label=self.review_year.label, council_name=name, version=self.version)


class LetterAction(models.TextChoices):
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for changes"
    PARAGRAPH = "paragraph", "Council paragraph changed"
    REISSUED = "reissued", "Reissued"
    SEND_REQUESTED = "send_requested", "Sending requested"
    SENT = "sent", "Sent to the chief executive"
    DELIVERY_FAILED = "delivery_failed", "Email could not be delivered"
    RESENT = "resent", "Email sent again"


class ActionEvent(models.Model):
    """Who did an action (empty for the system) and when, with a comment: the fields of a letter's
    and a review year's histories."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the system (scheduled sending and publication, the mail server).",
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        abstract = True


@track(model_name="LetterEventHistory")
class LetterEvent(ActionEvent):
    """One action on one version of a letter, shown as the letter's history. Never changed."""

    Action = LetterAction

    letter = models.ForeignKey(AnnualLetter, on_delete=models.PROTECT, related_name="actions")
    action = models.CharField(max_length=20, choices=LetterAction.choices)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=LetterAction.values), name="letter_event_action_valid"),
            models.CheckConstraint(
                condition=~Q(action__in=(LetterAction.RETURNED, LetterAction.REISSUED)) | ~Q(comment=""),
                name="letter_event_reason_given",
                violation_error_message="Say why.",
            ),
        ]
        indexes = [models.Index(fields=["letter", "at"], name="letter_event_letter_at")]

    def __str__(self) -> str:
        return f"{self.letter}: {self.get_action_display()} at {self.at:%d/%m/%Y %H:%M}"


class PublicationAction(models.TextChoices):
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REPUBLISHED = "republished", "Republished"


@track()
class PublicationEvent(ActionEvent):
    """One publication, withdrawal or republication of a review year (its public changelog,
    with the letters corrected after publication). Never changed."""

    Action = PublicationAction

    review_year = models.ForeignKey(ReviewYear, on_delete=models.PROTECT, related_name="publication_events")
    action = models.CharField(max_length=12, choices=PublicationAction.choices)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=PublicationAction.values), name="publication_event_action_valid"
            ),
            models.CheckConstraint(
                condition=~Q(action=PublicationAction.WITHDRAWN) | ~Q(comment=""),
                name="publication_event_withdrawal_reason",
                violation_error_message="Say why the year is withdrawn.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_year} {self.get_action_display().lower()} at {self.at:%d/%m/%Y %H:%M}"


@track()
class NoLetterReason(models.Model):
    """Why a council active in a year has no sent letter (no chief executive on record, letter
    withdrawn, ...): recorded by a manager, required to publish the year, shown publicly."""

    review_year = models.ForeignKey(ReviewYear, on_delete=models.CASCADE, related_name="no_letter_reasons")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="no_letter_reasons")
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review_year", "council__name"]
        constraints = [
            models.UniqueConstraint(fields=["review_year", "council"], name="no_letter_reason_one_per_year"),
            models.CheckConstraint(condition=~Q(reason=""), name="no_letter_reason_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.review_year}: {self.reason}"


class CopyKind(models.TextChoices):
    TO = "to", "To"
    CC = "cc", "Copy"


def outbox_idempotency_key(letter_id: int, version: int, recipient: str) -> str:
    return f"{letter_id}:{version}:{recipient}"


@track()
class OutboxMessage(OutboxRow):
    """One email of one letter to one recipient (ombudsman.outbox). The idempotency key (letter,
    version, recipient) is unique, so asking to send twice never makes a second message; the
    Message-ID is derived from the key, so a retry after a crash is the same message."""

    Kind = CopyKind

    letter = models.ForeignKey(AnnualLetter, on_delete=models.PROTECT, related_name="outbox_messages")
    role = models.CharField(max_length=24, choices=ContactRole.choices, help_text="The contact's role at the council.")
    kind = models.CharField(max_length=2, choices=CopyKind.choices)

    class Meta:
        ordering = ["letter", "kind", "role", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "recipient"], name="outbox_one_per_letter_recipient"),
            models.CheckConstraint(condition=Q(kind__in=CopyKind.values), name="outbox_kind_valid"),
            models.CheckConstraint(condition=Q(role__in=ContactRole.values), name="outbox_role_valid"),
            *outbox_constraints("outbox"),
        ]
        indexes = [models.Index(fields=["status", "queued_at"], name="outbox_status_queued")]

    def __str__(self) -> str:
        return f"{self.letter} to {self.recipient} ({self.get_status_display()})"


class DownloadKind(models.TextChoices):
    LETTER = "letter", "Letter (PDF)"
    ANNEX_RECEIVED = "annex_received", "Annex: complaints received (CSV)"
    ANNEX_DECIDED = "annex_decided", "Annex: decisions made (CSV)"
    ANNEX_COMPLIANCE = "annex_compliance", "Annex: compliance outcomes (CSV)"


class LetterDownload(models.Model):
    """One download of a sent letter or of its annexes by someone signed in (a council user, or
    staff on the public pages): who, when, which letter and version, from which address. Written
    before the file is sent; never changed. Downloads by the public are counted per letter and
    day instead (LetterDownloadDay), so anonymous requests cannot grow this table."""

    Kind = DownloadKind

    letter = models.ForeignKey(AnnualLetter, on_delete=models.PROTECT, related_name="downloads")
    version = models.PositiveSmallIntegerField(help_text="The letter's version when it was downloaded.")
    kind = models.CharField(max_length=20, choices=DownloadKind.choices, default=DownloadKind.LETTER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a download from the public pages by someone not signed in.",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    downloaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-downloaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DownloadKind.values), name="letter_download_kind_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="letter_download_version_positive"),
        ]
        indexes = [models.Index(fields=["letter", "downloaded_at"], name="letter_download_letter_at")]

    def __str__(self) -> str:
        who = self.user or "the public"
        return f"{self.letter} {self.get_kind_display()} by {who} at {self.downloaded_at:%d/%m/%Y %H:%M}"


class LetterDownloadDay(models.Model):
    """How many times the public (not signed in) downloaded a letter's PDF on a day (Europe/London).

    One row per letter and day, its count raised by one statement (an INSERT ... ON CONFLICT DO
    UPDATE), so the table grows with letters and days, not with requests, and two downloads at
    the same moment both count.
    """

    letter = models.ForeignKey(AnnualLetter, on_delete=models.PROTECT, related_name="download_days")
    day = models.DateField()
    count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-day", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "day"], name="letter_download_day_unique"),
            models.CheckConstraint(condition=Q(count__gte=1), name="letter_download_day_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.letter}: {self.count} public download(s) on {self.day:%d/%m/%Y}"
