"""The background jobs' limits agree with each other, with the beat schedule and with Redis (issue 12):
a letter a killed worker left is rendered again within minutes, not after an hour."""

import datetime
import json
import os
import subprocess
import sys

from django.conf import settings

from reviews import policy

MINUTE = datetime.timedelta(minutes=1)


def test_sweeps_run_every_sweep_interval():
    schedule = settings.CELERY_BEAT_SCHEDULE
    for name in ("reviews-sweep-stuck-letters", "reviews-sweep-outbox"):
        assert datetime.timedelta(seconds=schedule[name]["schedule"]) == policy.SWEEP_INTERVAL


def test_a_stuck_letter_is_one_no_live_worker_can_still_be_rendering():
    assert datetime.timedelta(seconds=policy.RENDER_TIME_LIMIT) < policy.STUCK_AFTER
    assert policy.RECOVERED_WITHIN == policy.STUCK_AFTER + policy.SWEEP_INTERVAL
    assert policy.RECOVERED_WITHIN <= 5 * MINUTE  # it was about 6 minutes


def redis_transport_options() -> dict:
    """The broker options the settings give Celery when the broker is Redis."""
    env = {**os.environ, "CELERY_BROKER_URL": "redis://redis.invalid:6379/0", "DJANGO_DEBUG": "1"}
    code = "from django.conf import settings; print(json.dumps(settings.CELERY_BROKER_TRANSPORT_OPTIONS))"
    result = subprocess.run(
        [sys.executable, "-c", f"import json, django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "ombudsman.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_redis_visibility_timeout_is_minutes_and_longer_than_any_task_holds_its_message():
    """Unacknowledged messages (a whole worker killed) come back after the visibility timeout. A live
    worker holds one for at most a task's time limit, or its longest retry wait, and Redis must not
    hand it to a second worker meanwhile; but the timeout is minutes, not the hour it was."""
    timeout = datetime.timedelta(seconds=redis_transport_options()["visibility_timeout"])
    longest_hold = datetime.timedelta(
        seconds=max(
            policy.RENDER_TIME_LIMIT + policy.RENDER_RETRY_BACKOFF_MAX,
            policy.SEND_TIME_LIMIT + policy.SEND_RETRY_BACKOFF_MAX,
        )
    )
    assert longest_hold < timeout <= 20 * MINUTE
    assert timeout >= policy.RECOVERED_WITHIN
