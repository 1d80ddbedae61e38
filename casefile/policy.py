"""Limits of the case file's background jobs (filing sent letters), and the errors worth another
try. A leaf: casefile.tasks reads the time limits and retries, the services read the same numbers
for the sweep. Emails use the shared outbox's (ombudsman.outbox.policy).

A letter is only "stuck" in `rendering` once no live worker can still be rendering it
(FILE_STUCK_AFTER > FILE_TIME_LIMIT).
"""

from ombudsman.pdf import limits

# Filing a letter renders its PDF: the limits of every letter's PDF (ombudsman.pdf.limits).
FILE_SOFT_TIME_LIMIT = limits.SOFT_TIME_LIMIT
FILE_TIME_LIMIT = limits.TIME_LIMIT
FILE_MAX_RETRIES = limits.MAX_RETRIES
FILE_RETRY_BACKOFF = limits.RETRY_BACKOFF
FILE_RETRY_BACKOFF_MAX = limits.RETRY_BACKOFF_MAX
FILE_STUCK_AFTER = limits.STUCK_AFTER
FILE_MAX_ATTEMPTS = limits.MAX_ATTEMPTS  # filings of one letter (every claim counts) before it is marked failed
# The database went away or the file system hiccuped: the filing task tries again.
FILE_TRANSIENT_ERRORS = limits.TRANSIENT_ERRORS
