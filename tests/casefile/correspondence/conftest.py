import pytest

from ombudsman.celery import app as celery_app
from tests.reviews.delivery.test_smtp import smtp_server  # noqa: F401 -- the annual letters' local SMTP server fixture


@pytest.fixture
def retries_run_at_once():
    """Eager tasks run their Celery retries at once (countdowns skipped), as a worker would run them later."""
    before = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = before
