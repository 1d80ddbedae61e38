"""Thin Celery entry points of the case file: ids in, one service call.

Leaves: this module imports Celery and the policies only; each task imports its service in its
body, so services can enqueue tasks without an import circle.

Filing a sent letter is late-acknowledged and re-delivered when its worker dies; transient errors
are retried with exponential backoff; after the last retry, or on any other error, the letter is
marked failed. A duplicate delivery finds the letter claimed or filed and does nothing. Its emails
go through the shared outbox's task options (ombudsman.outbox.policy): a duplicate delivery finds
the row claimed or sent; after the last retry the row is marked failed.
"""

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from casefile import policy
from ombudsman.outbox.policy import SEND_TASK_OPTIONS


class CorrespondenceFileTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from casefile.correspondence.services import letter_mark_failed  # leaf

        correspondence_id = args[0] if args else kwargs.get("correspondence_id")
        letter_mark_failed(correspondence_id=correspondence_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=CorrespondenceFileTask,
    name="casefile.letter_file",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=policy.FILE_TRANSIENT_ERRORS,
    max_retries=policy.FILE_MAX_RETRIES,
    retry_backoff=policy.FILE_RETRY_BACKOFF,
    retry_backoff_max=policy.FILE_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    soft_time_limit=policy.FILE_SOFT_TIME_LIMIT,
    time_limit=policy.FILE_TIME_LIMIT,
    ignore_result=True,
)
def correspondence_file_task(correspondence_id: int) -> None:
    from casefile.correspondence.services import letter_file  # leaf

    letter_file(correspondence_id=correspondence_id)


class CorrespondenceEmailTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from casefile.correspondence.outbox import LETTER_EMAILS  # leaf

        message_id = args[0] if args else kwargs.get("message_id")
        LETTER_EMAILS.mark_failed(message_id, str(exc) or type(exc).__name__)


@shared_task(base=CorrespondenceEmailTask, name="casefile.letter_email_send", **SEND_TASK_OPTIONS)
def letter_email_send_task(message_id: int) -> None:
    from casefile.correspondence.outbox import LETTER_EMAILS  # leaf

    LETTER_EMAILS.send(message_id)


@shared_task(name="casefile.sweep_correspondence", ignore_result=True)
def sweep_correspondence_task() -> None:
    """Letters whose worker died while filing them, and their emails whose worker died or whose task was lost."""
    from casefile.correspondence.outbox import LETTER_EMAILS  # leaf
    from casefile.correspondence.services import letters_sweep_stuck  # leaf

    letters_sweep_stuck()
    LETTER_EMAILS.sweep()
