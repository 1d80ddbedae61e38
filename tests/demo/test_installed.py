"""The demo app is installed only with DEMO=1: production has none of its commands or tasks."""

import os
import subprocess
import sys

from django.conf import settings

from ombudsman.celery import app

PROBE = """
import django
django.setup()
from django.conf import settings
from django.core.management import get_commands
from ombudsman.celery import app
app.loader.import_default_modules()
commands = get_commands()
print("demo" in settings.INSTALLED_APPS, "demo.history_advance" in app.tasks,
      sorted(name for name in ("rundemo", "demo_setup", "demo_otp_code", "generate_demo_data") if name in commands),
      sorted(entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"].startswith("demo.")))
"""


def probe(**env) -> str:
    environment = {key: value for key, value in os.environ.items() if key not in {"DEMO", "DEMO_HISTORY"}}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env={**environment, "DJANGO_SETTINGS_MODULE": "ombudsman.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_demo_without_the_flag_is_not_installed():
    assert probe(DEMO_HISTORY="1") == "False False [] []"


def test_demo_with_the_flag_has_its_commands_task_and_schedule():
    assert probe(DEMO="1", DEMO_HISTORY="1") == (
        "True True ['demo_otp_code', 'demo_setup', 'generate_demo_data', 'rundemo'] ['demo.history_advance']"
    )


def test_demo_task_is_registered_in_the_tests():
    app.loader.import_default_modules()

    assert "demo.history_advance" in app.tasks
