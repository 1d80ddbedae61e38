"""Downloads of sent letters and their annexes: one row per download by someone signed in, one
count per letter and day for the public.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from reviews.models.letters import AnnualLetter


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
