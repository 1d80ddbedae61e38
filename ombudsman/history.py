"""Audit history: every insert, update and delete of a tracked model is stored by a
PostgreSQL trigger (django-pghistory), so bulk changes and raw SQL are caught too.
Requests attach the signed-in user (HistoryMiddleware); commands attach their name."""

import pghistory


def track(**kwargs):
    """pghistory.track with inserts, updates and deletes."""
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs)
