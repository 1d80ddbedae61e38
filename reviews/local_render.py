"""Rendering letters in this process or a local pool of processes, without a broker.

Used by `run_review` when no broker is configured and by the benchmarks. Each letter goes
through the render task's own code (claim, retries, failure marking), so the result is the
same as through the Celery workers.
"""

import multiprocessing
from collections.abc import Callable, Iterable

from django.db import connections

from reviews.tasks import letter_render_task


def render_one(letter_id: int) -> int:
    # Eager retries re-run the task in this process only if errors do not propagate; the
    # setting is the app's, so it is put back for whatever runs tasks in this process next.
    conf = letter_render_task.app.conf
    propagates = conf.task_eager_propagates
    conf.task_eager_propagates = False
    try:
        letter_render_task.apply(args=[letter_id], throw=False)
    finally:
        conf.task_eager_propagates = propagates
    return letter_id


def _child_start() -> None:
    connections.close_all()  # never share the parent's database connection


def render_locally(
    letter_ids: Iterable[int], *, processes: int = 1, progress: Callable[[int], None] | None = None
) -> None:
    """Render the letters with `processes` forked processes (1: in this process)."""
    letter_ids = list(letter_ids)
    if processes > 1 and len(letter_ids) > 1:
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with context.Pool(processes, initializer=_child_start) as pool:
            for done, _ in enumerate(pool.imap_unordered(render_one, letter_ids, chunksize=2), start=1):
                if progress:
                    progress(done)
    else:
        for done, letter_id in enumerate(letter_ids, start=1):
            render_one(letter_id)
            if progress:
                progress(done)
