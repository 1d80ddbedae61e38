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
from ombudsman.pdf import limits as pdf_limits

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

# Rendering letters: the limits of every letter's PDF (ombudsman.pdf.limits), named here for the
# render task and the sweep.
RENDER_SOFT_TIME_LIMIT = pdf_limits.SOFT_TIME_LIMIT
RENDER_TIME_LIMIT = pdf_limits.TIME_LIMIT
RENDER_MAX_RETRIES = pdf_limits.MAX_RETRIES
RENDER_RETRY_BACKOFF = pdf_limits.RETRY_BACKOFF
RENDER_RETRY_BACKOFF_MAX = pdf_limits.RETRY_BACKOFF_MAX
STUCK_AFTER = pdf_limits.STUCK_AFTER
SWEEP_INTERVAL = datetime.timedelta(seconds=settings.SWEEP_INTERVAL_SECONDS)
RECOVERED_WITHIN = STUCK_AFTER + SWEEP_INTERVAL
MAX_ATTEMPTS = pdf_limits.MAX_ATTEMPTS
RENDER_TRANSIENT_ERRORS = pdf_limits.TRANSIENT_ERRORS


# Scheduled sending starts at this local time on the letter date (the button sends at once).
SEND_FROM = datetime.time(8, 0)
