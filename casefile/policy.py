"""Limits of the case file's background jobs (filing sent letters), and the errors worth another
try. A leaf: casefile.tasks reads the time limits and retries, the services read the same numbers
for the sweep. Emails use the shared outbox's (ombudsman.outbox.policy).

A letter is only "stuck" in `rendering` once no live worker can still be rendering it
(FILE_STUCK_AFTER > FILE_TIME_LIMIT).
"""

import datetime

from django.db import InterfaceError, OperationalError

FILE_SOFT_TIME_LIMIT = 90
FILE_TIME_LIMIT = 120
FILE_MAX_RETRIES = 3
FILE_RETRY_BACKOFF = 2
FILE_RETRY_BACKOFF_MAX = 60
FILE_STUCK_AFTER = datetime.timedelta(seconds=FILE_TIME_LIMIT + 60)
FILE_MAX_ATTEMPTS = 5  # filings of one letter (every claim counts) before it is marked failed
# The database went away or the file system hiccuped: the filing task tries again.
FILE_TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
