"""Limits of the annual review's background jobs, and the errors worth another try.

A leaf: the tasks (reviews.tasks) read their time limits and retry settings here and the
services read the same numbers for their sweeps, so neither imports the other.

The limits must agree with the sweeps: a letter is only "stuck" in `rendering` once no live
worker can still be rendering it (STUCK_AFTER > RENDER_TIME_LIMIT), an email is only stuck in
`sending` once no live worker can still be sending it (SENDING_TIMEOUT > SEND_TIME_LIMIT), and
a queued email is only "lost" once it has waited longer than the longest retry backoff
(QUEUED_TIMEOUT > SEND_RETRY_BACKOFF_MAX).

Beat runs the sweeps every SWEEP_INTERVAL (settings.SWEEP_INTERVAL_SECONDS, the beat schedule's
number), so a letter a killed worker left is rendered again within RECOVERED_WITHIN (STUCK_AFTER
plus one interval); the run's progress page says so. Redis gives a message nobody acknowledged (a
whole worker was killed) to another worker after settings' broker visibility timeout: minutes, longer
than any task runs or waits for its retry (tests/reviews/test_policy.py checks all of these).
"""

import datetime

from django.conf import settings
from django.db import InterfaceError, OperationalError

# Emailing letters: the shared outbox's limits, named here for the tasks and the sweeps.
from ombudsman.outbox.policy import (
    ERROR_MAX_CHARS,
    QUEUED_TIMEOUT,
    SEND_MAX_RETRIES,
    SEND_RETRY_BACKOFF,
    SEND_RETRY_BACKOFF_MAX,
    SEND_SOFT_TIME_LIMIT,
    SEND_TASK_OPTIONS,
    SEND_TIME_LIMIT,
    SEND_TRANSIENT_ERRORS,
    SENDING_TIMEOUT,
    PermanentDeliveryError,
    TransientDeliveryError,
)

__all__ = [
    "ERROR_MAX_CHARS",
    "QUEUED_TIMEOUT",
    "SENDING_TIMEOUT",
    "SEND_MAX_RETRIES",
    "SEND_RETRY_BACKOFF",
    "SEND_RETRY_BACKOFF_MAX",
    "SEND_SOFT_TIME_LIMIT",
    "SEND_TASK_OPTIONS",
    "SEND_TIME_LIMIT",
    "SEND_TRANSIENT_ERRORS",
    "PermanentDeliveryError",
    "TransientDeliveryError",
]

# Rendering letters (seconds).
RENDER_SOFT_TIME_LIMIT = 90
RENDER_TIME_LIMIT = 120
RENDER_MAX_RETRIES = 3
RENDER_RETRY_BACKOFF = 2
RENDER_RETRY_BACKOFF_MAX = 60
# No live worker still renders a letter claimed longer ago than the hard time limit: with a minute's
# margin it is stuck (its worker was killed). Was twice the limit plus a minute (5 minutes).
STUCK_AFTER = datetime.timedelta(seconds=RENDER_TIME_LIMIT + 60)
SWEEP_INTERVAL = datetime.timedelta(seconds=settings.SWEEP_INTERVAL_SECONDS)
RECOVERED_WITHIN = STUCK_AFTER + SWEEP_INTERVAL
MAX_ATTEMPTS = 5  # renders of one letter (every claim counts) before it is marked failed
# The database went away or the file system hiccuped: the render task tries again.
RENDER_TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)


# Scheduled sending starts at this local time on the letter date (the button sends at once).
SEND_FROM = datetime.time(8, 0)
