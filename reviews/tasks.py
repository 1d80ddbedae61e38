"""Thin Celery entry points of the annual review: ids in, one service call.

Leaves: this module imports Celery and reviews.policy only; each task imports its service in
its body, so services can enqueue tasks without an import circle.

The render task is late-acknowledged and rejected (so re-delivered) when its worker dies;
transient errors (database connection, file system) are retried with exponential backoff;
after the last retry, or on any other error, the letter is marked failed with the error.
Time limits stay below policy.STUCK_AFTER, the sweep's idea of "stuck".

The email task is late-acknowledged too; a duplicate delivery finds its row claimed or sent and
does nothing. Transient SMTP failures are retried with exponential backoff; after the last
retry the row is marked failed. Time limits stay below policy.SENDING_TIMEOUT.
"""

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from reviews import policy


class LetterRenderTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from reviews.letters.render import letter_mark_failed  # leaf

        letter_id = args[0] if args else kwargs.get("letter_id")
        letter_mark_failed(letter_id=letter_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=LetterRenderTask,
    name="reviews.letter_render",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=policy.RENDER_TRANSIENT_ERRORS,
    max_retries=policy.RENDER_MAX_RETRIES,
    retry_backoff=policy.RENDER_RETRY_BACKOFF,
    retry_backoff_max=policy.RENDER_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    soft_time_limit=policy.RENDER_SOFT_TIME_LIMIT,
    time_limit=policy.RENDER_TIME_LIMIT,
    ignore_result=True,
)
def letter_render_task(letter_id: int) -> None:
    from reviews.letters.render import letter_render  # leaf

    letter_render(letter_id=letter_id)


@shared_task(name="reviews.sweep_stuck_letters", ignore_result=True)
def sweep_stuck_letters_task() -> None:
    from reviews.letters.render import letters_sweep_stuck  # leaf

    letters_sweep_stuck()


class OutboxSendTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from reviews.delivery.send import outbox_mark_failed  # leaf

        message_id = args[0] if args else kwargs.get("message_id")
        outbox_mark_failed(message_id=message_id, error=str(exc) or type(exc).__name__)


@shared_task(base=OutboxSendTask, name="reviews.outbox_message_send", **policy.SEND_TASK_OPTIONS)
def outbox_message_send_task(message_id: int) -> None:
    from reviews.delivery.send import outbox_message_send  # leaf

    outbox_message_send(message_id=message_id)


@shared_task(name="reviews.send_due_letters", ignore_result=True)
def send_due_letters_task() -> None:
    from reviews.delivery.send import letters_send_due  # leaf

    letters_send_due()


@shared_task(name="reviews.sweep_outbox", ignore_result=True)
def sweep_outbox_task() -> None:
    from reviews.delivery.send import outbox_sweep  # leaf

    outbox_sweep()


@shared_task(name="reviews.publish_due_years", ignore_result=True)
def publish_due_years_task() -> None:
    """Publish the years whose date has come and that miss nothing (reviews.publication.services)."""
    from reviews.publication.services import review_years_publish_due  # leaf

    review_years_publish_due()
