import os
import re
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from ombudsman.periods import ReviewPeriod


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` in a process of its own, with this environment and a production-like
    secret key (on the embedded PostgreSQL of these tests when no DATABASE_URL is given)."""
    env = {**env, "SECRET_KEY": "k" * 20 + "-production-like-secret-" + "x9Q2#zP7!m" * 3, "PYTHONWARNINGS": "ignore"}
    if "DATABASE_URL" not in env:
        env["OMBUDSMAN_VAR_DIR"] = str(settings.VAR_DIR)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_with_production_environment_reports_nothing():
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DJANGO_DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "STATIC_MANIFEST", "EMAIL_URL", "CELERY_EAGER"}
    }
    env.update(ALLOWED_HOSTS="ombudsman.example.org", EMAIL_URL="smtp://mail.example.org:587?tls=1")

    result = check_deploy(env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_settings_refuse_to_start_without_secret_key_outside_debug():
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DJANGO_DEBUG"}}

    result = subprocess.run(
        [sys.executable, "-c", "import ombudsman.settings"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_review_period_label_and_bounds():
    period = ReviewPeriod.from_label("2019-20")

    assert (period.start.isoformat(), period.end.isoformat(), period.label) == ("2019-04-01", "2020-03-31", "2019-20")
    assert ReviewPeriod.containing(period.end) == period
    assert ReviewPeriod.containing(period.end_exclusive) == ReviewPeriod(2020)
    assert ReviewPeriod(1999).label == "1999-00"


def test_govuk_date_field_messages():
    from django import forms

    from ombudsman.forms import GovUKDateField, GovUKForm

    class DateForm(GovUKForm):
        received_on = GovUKDateField(label="Date received")
        decided_on = GovUKDateField(label="Decision date", error_messages={"required": "Enter the decision date"})

    empty = DateForm(data={})
    partial = DateForm(
        data={
            "received_on_day": "1",
            "received_on_year": "2020",
            "decided_on_day": "30",
            "decided_on_month": "2",
            "decided_on_year": "2020",
        }
    )

    assert empty.errors == {"received_on": ["Enter date received"], "decided_on": ["Enter the decision date"]}
    assert partial.errors == {
        "received_on": ["Date received must include a month"],
        "decided_on": ["Decision date must be a real date"],
    }
    assert isinstance(DateForm().fields["received_on"], forms.DateField)


def test_govuk_date_field_refuses_numbers_too_big_for_a_date():
    from ombudsman.forms import GovUKDateField, GovUKForm

    class DateForm(GovUKForm):
        received_on = GovUKDateField(label="Date received")

    huge = DateForm(data={"received_on_day": "1", "received_on_month": "1", "received_on_year": "9" * 25})

    assert huge.errors == {"received_on": ["Date received must be a real date"]}


def compose_app_defaults() -> dict[str, str]:
    """The environment docker-compose.yml gives the app containers, with its defaults (`${X:-d}`),
    read from its x-app block (no YAML library needed for these plain lines)."""
    text = (settings.BASE_DIR / "docker-compose.yml").read_text()
    block = text.split("x-app:", 1)[1].split("  volumes:", 1)[0].split("environment:", 1)[1]
    found = {}
    for name, value in re.findall(r"^    ([A-Z_]+): (.+)$", block, flags=re.MULTILINE):
        found[name] = re.sub(r"\$\{\w+:?-([^}]*)\}", r"\1", value.strip())
    return found


def test_docker_compose_defaults_pass_check_deploy():
    compose = compose_app_defaults()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {*compose, "DJANGO_DEBUG", "STATIC_MANIFEST", "CELERY_EAGER"}
    }
    env.update(
        {key: value for key, value in compose.items() if key not in {"DATABASE_URL", "REDIS_URL", "OMBUDSMAN_VAR_DIR"}}
    )
    if "DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]

    result = check_deploy(env)

    assert compose["SECURE_SSL_REDIRECT"] == "1" and compose["TRUSTED_PROXIES"] == "172.28.0.10"
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def compose_command() -> list[str] | None:
    """`docker compose` (v2) if this machine has it, else Debian's `docker-compose` (v1), else None."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_file_is_valid():
    """`docker compose config` reads the file without a daemon or network: valid, no warnings."""
    command = compose_command()
    if command is None:
        pytest.skip("neither docker compose nor docker-compose is installed")
    result = subprocess.run(
        [*command, "-f", "docker-compose.yml", "config", "--quiet"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "SECRET_KEY": "compose-config-check"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""
