"""Review years, their letters and the runs that render them, a module per sub-job:
- years: ReviewYear (its settings and narrative, which letter format it prints) and
  CouncilParagraph;
- letters: AnnualLetter (its statuses and the filters every reader shares) and ReviewRun;
- events: LetterEvent, a letter's history;
- publication: PublicationEvent and NoLetterReason;
- outbox: OutboxMessage, one email of a letter to one recipient;
- downloads: LetterDownload and LetterDownloadDay.
Each module states the rules its models keep. Every name is imported from here
(`from reviews.models import AnnualLetter`), as when this was one module.
"""

from reviews.models.downloads import (
    DownloadKind,
    LetterDownload,
    LetterDownloadDay,
)
from reviews.models.events import (
    ActionEvent,
    LetterAction,
    LetterEvent,
)
from reviews.models.letters import (
    DRAFT_STATUSES,
    FROZEN_STATUSES,
    ISSUED_STATUSES,
    NOT_LIVE_STATUSES,
    WAS_SENT,
    WITH_PDF_STATUSES,
    AnnualLetter,
    AnnualLetterQuerySet,
    LetterStatus,
    ReviewRun,
    letter_download_name,
    letter_storage_name,
)
from reviews.models.outbox import (
    CopyKind,
    OutboxMessage,
    OutboxStatus,
    outbox_idempotency_key,
)
from reviews.models.publication import (
    NoLetterReason,
    PublicationAction,
    PublicationEvent,
)
from reviews.models.years import (
    DATE_TOKEN,
    LINK_TARGETS,
    NARRATIVE_FIELDS,
    PUBLICATION_SENTENCE,
    AverageMethod,
    CouncilParagraph,
    LetterFormat,
    ReviewYear,
    ReviewYearQuerySet,
    says_detailed,
    shows_overview,
    shows_per_100k,
)

__all__ = [
    "DATE_TOKEN",
    "DRAFT_STATUSES",
    "FROZEN_STATUSES",
    "ISSUED_STATUSES",
    "LINK_TARGETS",
    "NARRATIVE_FIELDS",
    "NOT_LIVE_STATUSES",
    "PUBLICATION_SENTENCE",
    "WAS_SENT",
    "WITH_PDF_STATUSES",
    "ActionEvent",
    "AnnualLetter",
    "AnnualLetterQuerySet",
    "AverageMethod",
    "CopyKind",
    "CouncilParagraph",
    "DownloadKind",
    "LetterAction",
    "LetterDownload",
    "LetterDownloadDay",
    "LetterEvent",
    "LetterFormat",
    "LetterStatus",
    "NoLetterReason",
    "OutboxMessage",
    "OutboxStatus",
    "PublicationAction",
    "PublicationEvent",
    "ReviewRun",
    "ReviewYear",
    "ReviewYearQuerySet",
    "letter_download_name",
    "letter_storage_name",
    "outbox_idempotency_key",
    "says_detailed",
    "shows_overview",
    "shows_per_100k",
]
