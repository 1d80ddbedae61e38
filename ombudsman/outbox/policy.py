"""Limits of sending an outbox row, and the errors worth another try. A leaf: the send tasks of
every app read their time limits and retries here, the sweep reads the same numbers.

An email is only stuck in `sending` once no live worker can still be sending it (SENDING_TIMEOUT >
SEND_TIME_LIMIT), and a queued email is only "lost" once it has waited longer than the longest
retry backoff (QUEUED_TIMEOUT > SEND_RETRY_BACKOFF_MAX).
"""

import datetime

from django.db import InterfaceError, OperationalError

ERROR_MAX_CHARS = 2000  # an error kept on a row is cut to this length


class TransientDeliveryError(Exception):
    """Try again later (the task retries with backoff)."""


class PermanentDeliveryError(Exception):
    """Will not succeed by trying again: the row is marked failed with this reason."""


# Seconds.
SEND_SOFT_TIME_LIMIT = 90
SEND_TIME_LIMIT = 120
SENDING_TIMEOUT = datetime.timedelta(seconds=SEND_TIME_LIMIT * 2 + 60)
SEND_MAX_RETRIES = 8
SEND_RETRY_BACKOFF = 15
SEND_RETRY_BACKOFF_MAX = 600
QUEUED_TIMEOUT = datetime.timedelta(seconds=SEND_RETRY_BACKOFF_MAX + 300)
SEND_TRANSIENT_ERRORS = (TransientDeliveryError, OperationalError, InterfaceError)

# The options of every app's send task (celery.shared_task(**SEND_TASK_OPTIONS, ...)).
SEND_TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": SEND_TRANSIENT_ERRORS,
    "max_retries": SEND_MAX_RETRIES,
    "retry_backoff": SEND_RETRY_BACKOFF,
    "retry_backoff_max": SEND_RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    "soft_time_limit": SEND_SOFT_TIME_LIMIT,
    "time_limit": SEND_TIME_LIMIT,
    "ignore_result": True,
}
