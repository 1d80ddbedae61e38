"""The command the demo's welcome gives for a demo user's two-step code works as printed."""

import os
import shlex
import subprocess

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.management.commands import rundemo
from demo.management.commands.demo_setup import DEMO_TOTP_KEY
from tests import factories
from tests.reviews.letters.test_render import database_url

# What `make demo` sets for its own commands, which a second terminal does not have.
NOT_IN_A_NEW_TERMINAL = {"DJANGO_DEBUG", "DEMO", "SECRET_KEY", "DEMO_HISTORY"}


def run_as_printed(command: str, email: str) -> subprocess.CompletedProcess:
    """`command` as a shell would run it: its leading NAME=value words are the environment."""
    words = shlex.split(command)
    assignments = [word for word in words if "=" in word and not word.startswith(".")]
    argv = words[len(assignments) :]
    environment = {key: value for key, value in os.environ.items() if key not in NOT_IN_A_NEW_TERMINAL}
    environment.update(word.split("=", 1) for word in assignments)
    environment["DATABASE_URL"] = database_url()  # the test database, as a user's DATABASE_URL would be
    return subprocess.run(
        [*argv, email], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_welcome_prints_the_otp_command(capsys):
    rundemo.Command().print_welcome(8000)

    assert f"  {rundemo.OTP_COMMAND} manager@example.org\n" in capsys.readouterr().out


# The command runs in another process, so the user must be committed: a transactional test, and one that
# restores the database as it found it (with the seeded groups and the same content type ids), like every
# other transactional test here; plain transactional_db left the later ones failing on duplicate content types.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_printed_otp_command_prints_the_demo_users_current_code():
    user = factories.ManagerFactory(email="manager@example.org")
    device = TOTPDevice.objects.create(user=user, name="Demo authenticator", key=DEMO_TOTP_KEY, confirmed=True)
    before = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()

    result = run_as_printed(rundemo.OTP_COMMAND, "manager@example.org")

    after = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() in {f"{before:06d}", f"{after:06d}"}
