"""Run the demo: the web server, a Celery worker and Celery beat, until Ctrl-C or SIGTERM.

Without REDIS_URL the worker uses kombu's filesystem transport under var/celery, so long
jobs run in a real worker process with visible progress, exactly as in production. SIGINT
and SIGTERM stop all three and then the embedded PostgreSQL (when DATABASE_URL is unset),
also when the demo was started in the background, where a shell starts it ignoring SIGINT.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections

from demo.management.commands.demo_setup import DEMO_PASSWORD

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# What the welcome tells people to run in another terminal for a demo user's code: DJANGO_DEBUG=1
# as in the Makefile's demo target (without it the settings refuse to start with no SECRET_KEY).
OTP_COMMAND = "DJANGO_DEBUG=1 DEMO=1 .venv/bin/python manage.py demo_otp_code"


class StopDemo(Exception):
    """SIGINT or SIGTERM arrived."""


def _stop(signum, frame):
    raise StopDemo(signal.Signals(signum).name)


class Command(BaseCommand):
    help = "Start the web server, a Celery worker and beat for the demo; stop all with Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port: int, **options):
        # Our own handlers, so a signal stops the demo even where SIGINT was ignored (started with
        # `&`); the children then start with the default handlers, not an inherited "ignore".
        for signum in STOP_SIGNALS:
            signal.signal(signum, _stop)
        env = dict(os.environ)
        env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")  # links in the demo's emails
        env["DJANGO_RUNSERVER_HIDE_WARNING"] = "true"  # the demo is a development server, and says so
        env.setdefault("DJANGO_DEBUG", "1")
        if not (env.get("CELERY_BROKER_URL") or env.get("REDIS_URL")):
            env["CELERY_BROKER_URL"] = "filesystem://"
        env.pop("CELERY_EAGER", None)
        env["DEMO"] = "1"  # the worker must know the demo's task, beat must schedule it
        env.setdefault("DEMO_HISTORY", "1")  # beat runs, approves, sends and publishes 2019-20 .. 2023-24
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "ombudsman",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--hostname",
                "demo@%h",
                "--queues",
                "celery,demo",  # demo: the history's steps, taken in turn with the letters (settings)
            ],
            "beat": [python, "-m", "celery", "-A", "ombudsman", "beat", "--loglevel", "INFO"],
        }
        processes = {}
        try:
            for name, command in commands.items():
                processes[name] = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
            self.print_welcome(port)
            while all(process.poll() is None for process in processes.values()):
                time.sleep(0.5)
            stopped = [name for name, process in processes.items() if process.poll() is not None]
            self.stderr.write(f"{', '.join(stopped)} stopped; stopping the demo.")
        except (KeyboardInterrupt, StopDemo) as reason:
            self.stdout.write(f"Stopping the demo ({reason or 'SIGINT'}) ...")
        finally:
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
            self.stop(processes)

    def stop(self, processes: dict) -> None:
        """Stop the children (TERM, then KILL after 15 s), then the embedded PostgreSQL."""
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if not os.environ.get("DATABASE_URL"):
            from ombudsman.embedded_db import embedded_database_release

            connections.close_all()
            embedded_database_release(settings.VAR_DIR / "pgdata")
            self.stdout.write("The demo and its database have stopped.")
        else:
            self.stdout.write("The demo has stopped.")

    def print_welcome(self, port: int):
        base = f"http://127.0.0.1:{port}"
        self.stdout.write(self.style.SUCCESS(f"\nThe demo is starting at {base}/\n"))
        self.stdout.write(
            "Sign in with any of these (password for all: {}):\n"
            "  caseworker@example.org              caseworker\n"
            "  manager@example.org                 manager\n"
            "  manager2@example.org                second manager (approves what the first ran)\n"
            "  chief.executive@blaby.example.org   council user: Blaby District Council\n"
            "  admin@example.org                   administrator (/admin/)\n"
            "Staff then pass two-step verification: the demo authenticator key is N5WW E5LE ONWW C3RN MRSW 23ZN NNSX SLJR\n"
            "  (add it to any authenticator app), or print the current code with:\n"
            f"  {OTP_COMMAND} manager@example.org\n"
            "Emails sent by the demo are written to {}\n"
            "\nTry first:\n"
            "  1. {}/figures/  (no sign-in) the public figures; 2019-20 to 2023-24 are reviewed, approved, sent\n"
            "     and published by the worker over the first minutes, so the years appear one by one.\n"
            '  2. Sign in as manager@example.org, open Annual review > 2024-25 > "Run review 2024-25":\n'
            "     the progress bar fills as the worker renders a letter for each of the 317 councils\n"
            "     active that year; then open Letters.\n"
            "  3. Sign in as manager2@example.org to approve those letters (four eyes), then send them.\n"
            "  4. Sign in as chief.executive@blaby.example.org: Blaby's letters and annexes, nobody else's.\n"
            '  5. Sign in as caseworker@example.org: Cases > "Create a case", record a decision and compliance.\n'
            "Stop with Ctrl-C (or SIGTERM).\n".format(DEMO_PASSWORD, settings.VAR_DIR / "mail", base)
        )
