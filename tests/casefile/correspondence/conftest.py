import datetime

import pytest
import time_machine

from ombudsman.celery import app as celery_app
from tests import factories
from tests.reviews.delivery.test_smtp import smtp_server  # noqa: F401 -- the annual letters' local SMTP server fixture


@pytest.fixture
def retries_run_at_once():
    """Eager tasks run their Celery retries at once (countdowns skipped), as a worker would run them later."""
    before = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = before


TODAY = datetime.datetime(2026, 3, 23, 10, 0, tzinfo=datetime.UTC)  # a Monday before Easter


@pytest.fixture
def on_today():
    """The clock stopped at TODAY (modules use it with pytest.mark.usefixtures)."""
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def complaint(council):
    """A case whose complainant has an email address (a module may define its own)."""
    return factories.ComplaintFactory(
        council=council, complainant_name="Ada Lovelace", complainant_email="ada@example.org"
    )
