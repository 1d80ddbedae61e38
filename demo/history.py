"""The demo's history: the reviews of 2019-20 to 2023-24 run, approved, sent and published
in the background by the worker, through the same services a manager uses, so the public
pages fill with history while a newcomer looks around. 2024-25 is left ready to run.

`history_advance` takes one step for the first year not yet published (create the year,
start its run, retry failures, approve as a second manager, send) and is called every few
seconds by Celery beat in the demo (demo.tasks, scheduled when DEMO_HISTORY=1). Every step is idempotent and derived
from the database, so stopping and restarting the demo carries on where it was; a PostgreSQL
advisory lock keeps two calls from working at once.

The log shows progress ("publishing 2021-22: 120 of 333 letters"), each line once: a step that
only finds the same as last time ("history complete", every 10 s once done) is not logged again.

Three steps are the exception to "services only": once a year's letters are sent, sending_dated
dates their sending on the year's letter date, and approval_dated their run and approval a working
day or two before it; once the year is published, publication_dated dates its publication on its
publication date. The demo does all of it the day it is set up, and the portal read "Sent 3 December
2026" beside "Published on 28 July 2020", a letter's timeline "Approved 3 December 2026" above "Sent
21 July 2020"; no service acts in the past (the moment is when a manager or the mail server acted),
so the demo rewrites those moments itself. Each past year then reads in order: run (RUN_AT, two
working days before the letter date) < approved (APPROVED_AT, the working day before) < sent
(SEND_FROM on the letter date) < published (PUBLISHED_AT on the publication date). The year left to
run (2024-25) is not one of HISTORY_YEARS and is never dated.
"""

import datetime
import logging
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from ombudsman.formatting import long_date
from ombudsman.models import User
from ombudsman.periods import ReviewPeriod
from ombudsman.working_days import working_days_before
from reviews.approval import services as approval
from reviews.delivery import send
from reviews.letters import render, years
from reviews.models import (
    AnnualLetter,
    LetterAction,
    LetterEvent,
    LetterStatus,
    OutboxMessage,
    OutboxStatus,
    PublicationEvent,
    ReviewRun,
    ReviewYear,
)
from reviews.policy import SEND_FROM
from reviews.publication import services as publication
from reviews.publication.checklist import publication_checklist

HISTORY_YEARS = ("2019-20", "2020-21", "2021-22", "2022-23", "2023-24")
RUN_BY = "manager@example.org"  # the demo's managers (demo_setup)
APPROVED_BY = "manager2@example.org"  # four eyes: not the manager who ran the review
LOCK_KEY = 7_310_001  # pg_try_advisory_lock key for this job
COMPLETE = "history complete"
RUN_AT = datetime.time(9, 0)  # two working days before the letter date
APPROVED_AT = datetime.time(15, 0)  # the working day before the letter date
PUBLISHED_AT = datetime.time(9, 0)  # on the publication date (sending starts at SEND_FROM, 08:00)
logger = logging.getLogger(__name__)
_last_logged = {"message": None}  # per worker process: a repeated step is not logged again


def history_advance() -> str:
    """One step towards a published history; returns what it did (for the log)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            return "another step is running"
        try:
            message = _advance()
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    if message != _last_logged["message"]:
        _last_logged["message"] = message
        logger.info("Demo history: %s", message)
    return message


def _advance() -> str:
    run_by = User.objects.filter(email=RUN_BY).first()
    approved_by = User.objects.filter(email=APPROVED_BY).first()
    if run_by is None or approved_by is None:
        return "the demo managers do not exist (run demo_setup)"
    for label in HISTORY_YEARS:
        review_year = ReviewYear.objects.filter(label=label).first()
        step = f"publishing {label}:"
        if review_year is None:
            years.review_year_create(**years.new_year_defaults(ReviewPeriod.from_label(label)), by=run_by)
            return f"{step} review year created"
        letters = AnnualLetter.objects.live().filter(review_year=review_year)
        statuses = Counter(letters.values_list("status", flat=True))
        if not statuses:
            run = render.review_run_start(review_year=review_year, by=run_by)
            return f"{step} review started, 0 of {run.queued} letters"
        if statuses[LetterStatus.FAILED]:
            failed = list(letters.filter(status=LetterStatus.FAILED).select_related("review_year"))
            render.letters_retry(letters=failed, by=run_by)
            return f"{step} {len(failed)} failed letters retried"
        if statuses[LetterStatus.PENDING] or statuses[LetterStatus.RENDERING]:
            total = statuses.total()
            waiting = statuses[LetterStatus.PENDING] + statuses[LetterStatus.RENDERING]
            return f"{step} {total - waiting} of {total} letters"
        ready = list(letters.filter(status=LetterStatus.READY).values_list("pk", flat=True))
        if ready:
            result = approval.letters_approve(review_year=review_year, seen=dict.fromkeys(ready), by=approved_by)
            return f"{step} {len(result.approved)} letters approved, {len(result.refused)} refused"
        if statuses[LetterStatus.APPROVED]:
            result = send.letters_send(review_year=review_year, by=approved_by)
            if result.messages:
                return f"{step} {result.messages} emails queued"
            emails = Counter(
                OutboxMessage.objects.filter(letter__review_year=review_year).values_list("status", flat=True)
            )
            return f"{step} {emails[OutboxStatus.SENT]} of {emails.total()} emails sent"
        if dated := sending_dated(review_year):
            return f"{step} {dated} letters dated as sent on {long_date(review_year.letter_date)}"
        if dated := approval_dated(review_year):
            return f"{step} {dated} letters dated as approved on {long_date(working_days_before(review_year.letter_date, 1))}"
        if review_year.is_published:
            if publication_dated(review_year):
                return f"{label} publication dated on {long_date(review_year.publication_date)}"
            continue
        checklist = publication_checklist(review_year)
        if not checklist.date_has_come:
            return f"{step} waiting for the publication date"
        if not checklist.complete:
            return f"{step} waiting for {len(checklist.missing)} letters to be sent"
        publication.review_year_publish(review_year=review_year, by=approved_by)
        done = HISTORY_YEARS.index(label) + 1
        return f"{label} published ({done} of {len(HISTORY_YEARS)} years)"
    return COMPLETE


def _moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


@transaction.atomic
def sending_dated(review_year: ReviewYear) -> int:
    """Date the sending of the year's sent letters on its letter date, at SEND_FROM (when the scheduled
    sending starts): the letters' sent_at, their emails' queued, claimed and sent times, and the
    "Sending requested" and "Sent" events. Returns how many letters it dated: 0 once done."""
    moment = _moment(review_year.letter_date, SEND_FROM)
    letters = list(
        AnnualLetter.objects.filter(review_year=review_year, status=LetterStatus.SENT, sent_at__gt=moment).values_list(
            "pk", flat=True
        )
    )
    if not letters:
        return 0
    emails = OutboxMessage.objects.filter(letter__in=letters)
    emails.update(queued_at=moment)
    emails.filter(claimed_at__isnull=False).update(claimed_at=moment)
    emails.filter(sent_at__isnull=False).update(sent_at=moment)
    LetterEvent.objects.filter(letter__in=letters, action__in=(LetterAction.SEND_REQUESTED, LetterAction.SENT)).update(
        at=moment
    )
    return AnnualLetter.objects.filter(pk__in=letters).update(sent_at=moment)


@transaction.atomic
def approval_dated(review_year: ReviewYear) -> int:
    """Date the year's runs and the rendering of its letters two working days before its letter date,
    at RUN_AT, and the approval of its approved letters the working day before, at APPROVED_AT: the
    runs' started_at, the letters' generated_at and approved_at, and the "Approved" events. Returns
    how many letters it dated: 0 once done."""
    run_at = _moment(working_days_before(review_year.letter_date, 2), RUN_AT)
    approved_at = _moment(working_days_before(review_year.letter_date, 1), APPROVED_AT)
    letters = list(
        AnnualLetter.objects.filter(review_year=review_year, approved_at__gt=approved_at).values_list("pk", flat=True)
    )
    if not letters:
        return 0
    ReviewRun.objects.filter(review_year=review_year, started_at__gt=run_at).update(started_at=run_at)
    AnnualLetter.objects.filter(pk__in=letters, generated_at__gt=run_at).update(generated_at=run_at)
    LetterEvent.objects.filter(letter__in=letters, action=LetterAction.APPROVED).update(at=approved_at)
    return AnnualLetter.objects.filter(pk__in=letters).update(approved_at=approved_at)


@transaction.atomic
def publication_dated(review_year: ReviewYear) -> int:
    """Date a published year's publication on its publication date, at PUBLISHED_AT: its published_at
    and its "Published" events. Returns 1 when it dated them, 0 once done."""
    moment = _moment(review_year.publication_date, PUBLISHED_AT)
    PublicationEvent.objects.filter(review_year=review_year, at__gt=moment).update(at=moment)
    return ReviewYear.objects.filter(pk=review_year.pk, published_at__gt=moment).update(published_at=moment)
