"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server,
with a real Celery worker where a journey needs one.

The live server is a thread of this process serving the app and the static files through the
staticfiles finders, with DEBUG off, on the test database (transactional: every journey starts
from the migrations' seeded data and ends with a flush).
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from django.db import connections
from django.test.testcases import _MediaFilesHandler
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.browser import AXE_SOURCE, CHROMIUM, CHROMIUM_ARGS, DESKTOP, ROOT, Journey
from tests.factories import PASSWORD
from tests.reviews.letters.test_render import database_url

APP_CSS = ROOT / "static" / "build" / "app.css"


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """Chromium for the journeys of this package, stopped before the other tests run.

    While Playwright's sync API runs it keeps an asyncio loop in this thread. Django then
    refuses the tests' own database queries (fixtures, assertions) as "async unsafe": nothing
    here is async (the live server answers from its own thread), so that check is off meanwhile.
    And Django keeps connections per thread, but per context while a loop runs: the tests reach
    the database through new connection objects, which need the seeded data snapshot that
    serialized rollback restores between journeys."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    assert AXE_SOURCE.exists(), f"{AXE_SOURCE} is missing: run npm ci (make install)"
    assert APP_CSS.exists(), f"{APP_CSS} is missing: run npm run build:css (make install)"
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}), sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        connections.close_all()  # this context's connections, before the loop goes


@pytest.fixture(scope="session")
def _no_media_handler():
    """MEDIA_URL is None here (nothing is served from media), which Django's live server does
    not expect; a base URL with a host makes its media handler step aside for every request."""
    with mock.patch.object(_MediaFilesHandler, "get_base_url", lambda self: "//media.invalid/"):
        yield


@pytest.fixture(scope="session")
def live_server(django_db_setup, _no_media_handler, live_server):
    """pytest-django's live server, stopped before the test database is dropped."""
    return live_server


@pytest.fixture
def open_journey(browser, live_server) -> Iterator:
    """open_journey("manager-a") -> a Journey in a fresh browser context (its own cookies)."""
    journeys: list[Journey] = []
    contexts = []

    def open_(name: str, **options) -> Journey:
        context = browser.new_context(
            viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London", accept_downloads=True, **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        journey = Journey(name=name, context=context, base_url=live_server.url)
        journeys.append(journey)
        return journey

    yield open_
    for context in contexts:
        context.close()


# Users ---------------------------------------------------------------------------------------


def with_authenticator(user) -> TOTPDevice:
    """A confirmed authenticator app for `user` (staff must use one to sign in)."""
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in(journey: Journey, email: str, *, device: TOTPDevice | None = None, screenshot: str | None = None) -> None:
    """The real sign-in: email and password, then the code from the authenticator app."""
    page = journey.page
    journey.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    journey.check()
    if device is not None:
        assert journey.path.startswith("/sign-in/verify/"), journey.path
        page.get_by_label("Code").fill(current_code(device))
        page.get_by_role("button", name="Continue").click()
        journey.check(screenshot=screenshot)


# A real worker --------------------------------------------------------------------------------


@dataclass
class Worker:
    """A Celery worker process on the test database, started by `start()`."""

    env: dict
    mail: Path
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        if self.process is not None:
            return
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "celery", "-A", "ombudsman", "worker", "--concurrency", "2"),
                    *("--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"),
                    *("--hostname", f"e2e-{uuid.uuid4().hex[:8]}@%h"),
                ],
                env=self.env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def assert_running(self) -> None:
        assert self.process is not None and self.process.poll() is None, f"the worker stopped:\n{self.log_tail()}"

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else "(no log)"


@pytest.fixture
def idle_celery_worker(transactional_db, tmp_path) -> Iterator[Worker]:
    """A Celery worker for the test database, not started yet (tasks wait in the broker until
    the test calls `start()`), and this process (with its live server thread) sending tasks to
    it: Redis (a database of its own) when REDIS_URL is set, as in CI, otherwise the filesystem
    broker in a temporary folder. The worker keeps letters in the same private storage as this
    process (tmp_path/private) and writes emails as files under tmp_path/mail."""
    from ombudsman import filesystem_broker
    from ombudsman.celery import app

    if os.environ.get("REDIS_URL"):
        url = os.environ["REDIS_URL"]
        base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
        broker = f"{base}/12"  # a database of its own: a stray worker on the usual one cannot take our tasks
        options = {"visibility_timeout": 3600}
    else:
        broker = "filesystem://"
        options = filesystem_broker.transport_options(tmp_path)  # the worker's OMBUDSMAN_VAR_DIR
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "broker_transport_options")}
    app.conf.update(task_always_eager=False, broker_url=broker, broker_transport_options=options)
    app._pool = app.amqp._producer_pool = None  # connect to the broker named above
    app.control.purge()  # nothing left over from an interrupted run
    mail = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_EAGER": "0",
        "OMBUDSMAN_VAR_DIR": str(tmp_path),
        "EMAIL_URL": f"file://{mail}",
        "SITE_URL": "http://localhost",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    worker = Worker(env=env, mail=mail, log=tmp_path / "worker.log")
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.update(saved)
        app._pool = app.amqp._producer_pool = None
        shutil.rmtree(tmp_path / "celery", ignore_errors=True)


@pytest.fixture
def celery_worker(idle_celery_worker) -> Worker:
    """The worker above, started."""
    idle_celery_worker.start()
    return idle_celery_worker


def wait_for(condition, *, timeout: float, what: str, worker: Worker | None = None):
    """Poll the database (or anything) until `condition()` is truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if worker is not None:
            worker.assert_running()
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}" + (f"\n{worker.log_tail()}" if worker else ""))
