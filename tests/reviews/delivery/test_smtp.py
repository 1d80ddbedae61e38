"""Sending through a real SMTP conversation: a local aiosmtpd server that answers "451 try again"
to the first attempts of each message, drops the connection, refuses an address or is slow.
Tasks run eagerly with their Celery retries, as a worker would run them (without the waits)."""

import asyncio
import datetime
import email
import email.policy
import socket
import threading
from collections import Counter

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from councils.models import ContactRole
from ombudsman.celery import app as celery_app
from reviews import policy
from reviews.delivery import send
from reviews.models import AnnualLetter, CopyKind, LetterAction, LetterEvent, LetterStatus, OutboxMessage, OutboxStatus
from reviews.tasks import outbox_message_send_task
from tests import factories
from tests.reviews.delivery.test_send import address, approved_letter


class FlakyServer:
    """aiosmtpd handler. Counts attempts per Message-ID and records each accepted copy."""

    def __init__(self, *, fail_first: int = 0, drop_first: int = 0, refuse=(), delay: float = 0.0):
        self.fail_first, self.drop_first, self.refuse, self.delay = fail_first, drop_first, set(refuse), delay
        self.attempts: Counter = Counter()
        self.delivered: list[tuple[str, str]] = []  # (Message-ID, recipient) of every accepted copy
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message_id = str(email.message_from_bytes(envelope.content, policy=email.policy.default)["Message-ID"])
        with self.lock:
            self.attempts[message_id] += 1
            attempt = self.attempts[message_id]
        if self.delay:
            await asyncio.sleep(self.delay)
        if attempt <= self.drop_first:
            server.transport.abort()  # the connection drops before the server answers
            return "250 never seen"
        if attempt <= self.drop_first + self.fail_first:
            return "451 4.3.0 Try again later"
        with self.lock:
            self.delivered.extend((message_id, recipient) for recipient in envelope.rcpt_tos)
        return "250 OK: queued"

    def copies(self) -> Counter:
        return Counter(self.delivered)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def retries_run_at_once():
    """Eager tasks run their Celery retries at once (countdowns skipped), as a worker would run
    them later, instead of handing the Retry to the caller."""
    before = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = before


@pytest.fixture
def smtp_server(settings):
    """smtp_server(handler) starts a local SMTP server and points Django's SMTP backend at it."""
    controllers = []

    def start(handler: FlakyServer) -> FlakyServer:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")


def send_all(review_year, capture) -> None:
    with capture(execute=True):
        send.letters_send(review_year=review_year)


def expected_copies(*letters) -> Counter:
    return Counter(
        {
            (row.message_id, row.recipient): 1
            for row in OutboxMessage.objects.filter(letter__in=letters, status=OutboxStatus.SENT)
        }
    )


@pytest.mark.django_db
def test_each_message_refused_twice_is_delivered_exactly_once(
    smtp_server, year, council, other_council, django_capture_on_commit_callbacks
):
    server = smtp_server(FlakyServer(fail_first=2))
    letters = [approved_letter(year, council), approved_letter(year, other_council)]

    send_all(year, django_capture_on_commit_callbacks)
    for row in OutboxMessage.objects.all():  # every task delivered once more by the broker
        outbox_message_send_task.delay(row.pk)

    rows = OutboxMessage.objects.all()
    assert len(rows) == 10
    assert {(row.status, row.attempts) for row in rows} == {(OutboxStatus.SENT, 3)}
    assert server.copies() == expected_copies(*letters)
    assert sum(server.copies().values()) == 10
    assert set(server.attempts.values()) == {3}
    assert set(AnnualLetter.objects.values_list("status", flat=True)) == {LetterStatus.SENT}


@pytest.mark.django_db
def test_a_dropped_connection_is_retried_and_delivered_once(
    smtp_server, year, council, django_capture_on_commit_callbacks
):
    server = smtp_server(FlakyServer(drop_first=1, fail_first=1))
    letter = approved_letter(year, council)

    send_all(year, django_capture_on_commit_callbacks)

    assert server.copies() == expected_copies(letter)
    assert sum(server.copies().values()) == 5
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 3)}


@pytest.mark.django_db
def test_a_refused_address_is_reported_and_the_others_delivered_once(
    smtp_server, year, council, django_capture_on_commit_callbacks
):
    leader = address(council, ContactRole.LEADER)
    server = smtp_server(FlakyServer(fail_first=1, refuse=[leader]))
    letter = approved_letter(year, council)

    send_all(year, django_capture_on_commit_callbacks)

    letter.refresh_from_db()
    failed = OutboxMessage.objects.get(recipient=leader)
    assert (failed.status, failed.attempts) == (OutboxStatus.FAILED, 1)
    assert failed.last_error == f"550 5.1.1 <{leader}>: Recipient address rejected: User unknown"
    assert server.copies() == expected_copies(letter)
    assert sum(server.copies().values()) == 4
    assert letter.status == LetterStatus.SENT  # the chief executive has it
    assert LetterEvent.objects.get(action=LetterAction.DELIVERY_FAILED).comment == (
        f"Leader ({leader}): {failed.last_error}"
    )


@pytest.mark.django_db
def test_a_server_that_never_accepts_ends_in_a_reported_failure(
    smtp_server, year, council, django_capture_on_commit_callbacks
):
    server = smtp_server(FlakyServer(fail_first=1000))
    letter = approved_letter(year, council, roles=(ContactRole.CHIEF_EXECUTIVE,))

    send_all(year, django_capture_on_commit_callbacks)

    letter.refresh_from_db()
    row = OutboxMessage.objects.get()
    attempts = policy.SEND_MAX_RETRIES + 1
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, attempts)
    assert row.last_error == f"Gave up after {attempts} attempts: 451 4.3.0 Try again later"
    assert server.delivered == []
    assert letter.status == LetterStatus.APPROVED


@pytest.mark.django_db
def test_no_server_at_all_is_retried_then_reported(settings, year, council, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    approved_letter(year, council, roles=(ContactRole.CHIEF_EXECUTIVE,))

    send_all(year, django_capture_on_commit_callbacks)

    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, policy.SEND_MAX_RETRIES + 1)
    assert row.last_error.startswith(f"Gave up after {policy.SEND_MAX_RETRIES + 1} attempts: ConnectionRefusedError")


@pytest.mark.django_db
def test_crash_after_the_server_accepted_resends_the_same_message(
    smtp_server, year, council, django_capture_on_commit_callbacks, monkeypatch
):
    """The residual window: the worker dies between the server's 250 and recording it. The
    sweep sends the row again after SENDING_TIMEOUT, as the same message (same Message-ID)."""
    server = smtp_server(FlakyServer())
    approved_letter(year, council, roles=(ContactRole.CHIEF_EXECUTIVE,))
    mark_sent = send._mark_sent

    def worker_killed(message):
        monkeypatch.setattr(send, "_mark_sent", mark_sent)
        raise SystemExit("worker killed")

    monkeypatch.setattr(send, "_mark_sent", worker_killed)
    with pytest.raises(SystemExit):
        send_all(year, django_capture_on_commit_callbacks)
    row = OutboxMessage.objects.get()
    stuck = row.status
    with django_capture_on_commit_callbacks(execute=True):
        send.outbox_sweep()  # too early: the worker might still be alive
    with (
        time_machine.travel(timezone.now() + policy.SENDING_TIMEOUT + datetime.timedelta(seconds=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send.outbox_sweep()

    row.refresh_from_db()
    assert stuck == OutboxStatus.SENDING
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
    assert server.delivered == [(row.message_id, row.recipient), (row.message_id, row.recipient)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_with_the_same_task_send_one_copy(smtp_server, monkeypatch):
    server = smtp_server(FlakyServer(delay=0.5))
    review_year = factories.ReviewYearFactory(label="2019-20")
    approved_letter(review_year, factories.CouncilFactory(), roles=(ContactRole.CHIEF_EXECUTIVE,))
    monkeypatch.setattr(send, "outbox_enqueue", lambda ids: None)  # the two workers below send it
    send.letters_send(review_year=review_year)
    row = OutboxMessage.objects.get(kind=CopyKind.TO)
    barrier = threading.Barrier(2)
    outcomes = []

    def work():
        try:
            barrier.wait(timeout=30)
            outcomes.append(send.outbox_message_send(message_id=row.pk))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    row.refresh_from_db()
    assert sorted(outcomes) == [False, True]
    assert server.delivered == [(row.message_id, row.recipient)]
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
