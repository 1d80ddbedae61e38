"""Logging filters named by settings.LOGGING."""

import logging


class ClientErrorsAreInfo(logging.Filter):
    """django.request logs every 4xx as a warning with the exception's traceback: a 403 for a
    page a role may not see, or a 404 for a guessed address, is the site working as meant.
    Such records become one INFO line without a traceback; 5xx keep their level and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
            record.exc_info = record.exc_text = None
        return True
