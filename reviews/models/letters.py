"""Annual letters and the runs that render them.

Rules kept by the database as well as by forms and services:
- a letter is one version of one council's letter for one year: (council, year, version) is
  unique, and at most one version per council and year is live (not superseded or withdrawn);
- a letter with a PDF (ready and beyond) carries the file's name and its SHA-256;
- approval freezes a letter: once approved, sent or superseded, a trigger refuses any change
  of its snapshot, PDF, checksum or version, and an approved or sent letter never goes back
  to draft (a change is a reissue: a new version, the old one superseded and kept);
- a sent letter has `sent_at`; a letter returned for changes carries the comment.
The figures a letter prints are frozen in `snapshot` when it is queued (see
reviews.snapshots), so later casework edits never change an issued letter silently: the
letter is flagged out of date instead. PDFs live in the "private" storage, never under a
public URL; `pdf_name` is the storage name.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify

from councils.models import Council
from ombudsman.history import track
from reviews.models.years import ReviewYear


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
