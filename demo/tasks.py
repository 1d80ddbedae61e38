"""The demo's one Celery task, discovered only when the demo app is installed (DEMO=1).

A leaf: celery only; the service is imported inside the task body.
"""

from celery import shared_task


@shared_task(name="demo.history_advance", ignore_result=True)
def history_advance_task() -> None:
    """Beat's DEMO_HISTORY entry: one step of the demo's published history."""
    from demo.history import history_advance  # a leaf: the service is imported when the task runs

    history_advance()
