"""The limits of rendering a letter's PDF in a background job, one set for every app that prints
letters: the annual letters (reviews.policy, RENDER_*) and case letters filed on a case
(casefile.policy, FILE_*) name these numbers for their tasks and sweeps.

A letter is only "stuck" in `rendering` once no live worker can still be rendering it
(STUCK_AFTER > TIME_LIMIT).
"""

import datetime

from django.db import InterfaceError, OperationalError

# Seconds.
SOFT_TIME_LIMIT = 90
TIME_LIMIT = 120
MAX_RETRIES = 3
RETRY_BACKOFF = 2
RETRY_BACKOFF_MAX = 60
# No live worker still renders a letter claimed longer ago than the hard time limit: with a minute's
# margin it is stuck (its worker was killed). Was twice the limit plus a minute (5 minutes).
STUCK_AFTER = datetime.timedelta(seconds=TIME_LIMIT + 60)
MAX_ATTEMPTS = 5  # renders of one letter (every claim counts) before it is marked failed
# The database went away or the file system hiccuped: the render task tries again.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
