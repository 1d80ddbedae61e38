"""Review years: the year's settings and narrative, and the paragraphs managers add to one
council's letter.

Rules kept by the database as well as by forms and services:
- a review year is labelled like "2019-20" and unique; its letters go out after the period
  ends and are published no earlier than they are dated;
- a year is public exactly while `published_at` is set (ReviewYear.objects.published(),
  AnnualLetter.objects.published()); a withdrawn year has `withdrawn_at` and a reason instead,
  never both (each publication, withdrawal and republication is a PublicationEvent:
  reviews.models.publication).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from councils.models import Council
from ombudsman.formatting import long_date
from ombudsman.history import track
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
