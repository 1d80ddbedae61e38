"""Emailing approved letters through a real worker to a local SMTP server that misbehaves.

Phase 1: the server answers "451 try again" to the first two attempts of every message and
refuses one address for good (550). Phase 2: on the same port, a server that drops the
connection in the middle of the first attempt of every message. The worker sends each copy
over its own SMTP transaction, retries transient failures (after 1 s here instead of 15 s, 30 s:
tests/faults/worker.py) and records each row once sent.

Every approved letter's messages arrive exactly once per (Message-ID, recipient); the refused
address is a failed row with the server's reason, shown on the letter's page; the letters whose
chief executive's copy arrived are sent.
"""

import logging
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse

from councils.models import ContactRole
from reviews.delivery import send
from reviews.models import AnnualLetter, LetterStatus, OutboxMessage, OutboxStatus
from tests import factories
from tests.faults.harness import (
    Worker,
    free_port,
    own_redis_db,
    producer,
    redis_url_or_skip,
    report,
    wait_until,
    workers_stopped_at_exit,
)
from tests.reviews.delivery.test_send import address, approved_letter
from tests.reviews.delivery.test_smtp import FlakyServer

LETTERS_PER_PHASE = 4
DONE = (OutboxStatus.SENT, OutboxStatus.FAILED)


class SmtpServer:
    """An aiosmtpd server in this process, on one port for the whole test."""

    def __init__(self):
        self.port = free_port()
        self.controller: Controller | None = None
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command

    def serve(self, handler: FlakyServer) -> FlakyServer:
        self.stop()
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return handler

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def send_and_wait(review_year, letters, worker) -> list[OutboxMessage]:
    send.letters_send(review_year=review_year, letter_ids=[letter.pk for letter in letters])
    rows = OutboxMessage.objects.filter(letter__in=letters)
    wait_until(
        lambda: rows.exists() and not rows.exclude(status__in=DONE).exists(),
        timeout=180,
        what="every email sent or failed for good",
        workers=[worker],
    )
    return list(rows)


def expected(rows) -> Counter:
    return Counter((row.message_id, row.recipient) for row in rows if row.status == OutboxStatus.SENT)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flaky_smtp_servers_deliver_every_message_exactly_once_and_report_a_refused_address(tmp_path, manager):
    broker = own_redis_db(redis_url_or_skip())
    review_year = factories.ReviewYearFactory(label="2019-20")
    first = [approved_letter(review_year, factories.CouncilFactory()) for _ in range(LETTERS_PER_PHASE)]
    second = [approved_letter(review_year, factories.CouncilFactory()) for _ in range(LETTERS_PER_PHASE)]
    refused = address(first[1].council, ContactRole.LEADER)
    smtp = SmtpServer()
    worker = Worker(
        "smtp", broker, tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}?timeout=10", FAULT_RETRY_SECONDS="1"
    )

    try:
        with producer(broker), workers_stopped_at_exit(worker):
            worker.start()
            refusing = smtp.serve(FlakyServer(fail_first=2, refuse=[refused]))
            first_rows = send_and_wait(review_year, first, worker)
            dropping = smtp.serve(FlakyServer(drop_first=1))
            second_rows = send_and_wait(review_year, second, worker)
    finally:
        smtp.stop()

    failed = [row for row in first_rows if row.status == OutboxStatus.FAILED]
    report(
        "SMTP 451 twice for every message, one address 550",
        f"letters {len(first)}, messages {len(first_rows)}, delivered {sum(refusing.copies().values())}, "
        f"duplicates {sum(n - 1 for n in refusing.copies().values())}, lost "
        f"{len(first_rows) - len(failed) - len(refusing.copies())}, refused and reported {len(failed)}, "
        f"attempts per delivered message {sorted(set(refusing.attempts.values()))}",
    )
    report(
        "SMTP connection dropped mid-message",
        f"letters {len(second)}, messages {len(second_rows)}, delivered {sum(dropping.copies().values())}, "
        f"duplicates {sum(n - 1 for n in dropping.copies().values())}, lost "
        f"{len(second_rows) - len(dropping.copies())}, attempts per message {sorted(set(dropping.attempts.values()))}",
    )
    assert refusing.copies() == expected(first_rows) and set(refusing.copies().values()) == {1}
    assert len(refusing.copies()) == len(first_rows) - 1 == 5 * LETTERS_PER_PHASE - 1
    assert set(refusing.attempts.values()) == {3}  # two refusals, then accepted
    assert [(row.recipient, row.status) for row in failed] == [(refused, OutboxStatus.FAILED)]
    assert failed[0].last_error.startswith("550")
    assert dropping.copies() == expected(second_rows) and set(dropping.copies().values()) == {1}
    assert len(dropping.copies()) == len(second_rows) == 5 * LETTERS_PER_PHASE
    assert set(dropping.attempts.values()) == {2}  # dropped, then accepted
    assert set(AnnualLetter.objects.values_list("status", flat=True)) == {LetterStatus.SENT}

    client = Client()
    client.force_login(manager)
    page = client.get(reverse("reviews:letter-detail", args=[review_year.label, first[1].pk])).content.decode()
    assert refused in page and "550" in page
