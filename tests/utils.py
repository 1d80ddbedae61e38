from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fetch) -> int:
    """How many SQL queries `fetch()` makes."""
    with CaptureQueriesContext(connection) as context:
        fetch()
    return len(context)
