"""A case letter's email through a real SMTP conversation (the annual letters' flaky local server):
refused for a while, then delivered exactly once, the same message every attempt."""

import datetime

import pytest
import time_machine

from casefile.correspondence.models import Correspondence
from casefile.tasks import sweep_correspondence_task
from ombudsman.outbox.rows import OutboxStatus
from tests import factories
from tests.casefile.correspondence.test_sending import TODAY, send
from tests.reviews.delivery.test_smtp import FlakyServer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("retries_run_at_once")]


@pytest.fixture
def complaint(council):
    return factories.ComplaintFactory(council=council, complainant_email="ada@example.org")


def test_a_refused_email_is_retried_and_delivered_once(
    smtp_server, complaint, caseworker, django_capture_on_commit_callbacks
):
    server = smtp_server(FlakyServer(fail_first=2))

    with time_machine.travel(TODAY, tick=False):
        letter = send(django_capture_on_commit_callbacks, complaint, caseworker)

    row = letter.emails.get()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 3)
    assert server.attempts[row.message_id] == 3
    assert server.delivered == [(row.message_id, "ada@example.org")]


def test_a_dropped_connection_is_retried_and_the_sweep_never_sends_a_second_copy(
    smtp_server, complaint, caseworker, django_capture_on_commit_callbacks
):
    server = smtp_server(FlakyServer(drop_first=1))

    with time_machine.travel(TODAY, tick=False):
        letter = send(django_capture_on_commit_callbacks, complaint, caseworker)
    with (
        time_machine.travel(TODAY + datetime.timedelta(hours=2), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep_correspondence_task.delay()

    row = letter.emails.get()
    assert row.status == OutboxStatus.SENT
    assert server.delivered == [(row.message_id, "ada@example.org")]
    assert Correspondence.objects.get().document is not None
