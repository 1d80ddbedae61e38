"""Slow clients against gunicorn started with the production configuration
(deploy/gunicorn.conf.py), on 127.0.0.1 only, for a bounded time (issue 12, item 2).

In production nginx holds slow clients and hands gunicorn whole requests (deploy/nginx.conf); this
shows gunicorn on its own no longer falls over: with sync workers, three clients trickling a POST
body at 1 KB/s held all three workers and /healthz did not answer for 32 s. Here SLOW_BODIES
clients trickle bodies (with a made-up csrftoken cookie, so Django reads the body to look for the
token; half of them announce 1 MB, which Django refuses unread) and SLOW_HEADERS trickle their
headers, while /healthz is asked every half second: it must answer 200 every time, within
PROBE_TIMEOUT, and the slow connections must still be open at the end (the server really was
holding them).
"""

import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.faults.harness import free_port, wait_until
from tests.reviews.letters.test_render import database_url

ROOT = Path(__file__).resolve().parents[2]
SLOW_BODIES = 12  # four times the three sync workers that three such clients used to fill
SLOW_HEADERS = 4
TRICKLE_SECONDS = 12
PROBE_EVERY = 0.5
PROBE_TIMEOUT = 10.0  # a probe that waits longer counts as no answer
CSRF_COOKIE = "csrftoken=" + "madeup" * 5 + "xx"  # the right length and alphabet, never issued


def gunicorn_environment(port: int, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "DATABASE_URL": database_url(),
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "slow-connections-test-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_MANIFEST": "0",
        "EMAIL_URL": "locmem:",
        "CELERY_EAGER": "1",
        "OMBUDSMAN_VAR_DIR": str(var_dir),
    }


def healthz(port: int, timeout: float = PROBE_TIMEOUT) -> tuple[int | None, float]:
    """(status or None for no answer, seconds taken) for GET /healthz on a new connection."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            first = sock.recv(64)
    except OSError:
        return None, time.monotonic() - started
    parts = first.split(b" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    return status, time.monotonic() - started


@dataclass
class SlowClient:
    """One connection sending its request a little at a time on its own thread."""

    port: int
    head: bytes
    body_size: int
    step: float  # seconds between two small sends
    chunk: bytes
    closed_by_server: bool = False
    sock: socket.socket | None = None
    thread: threading.Thread | None = None
    stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        sent = 0
        try:
            for byte in self.head if not self.body_size else [self.head]:
                self.sock.sendall(bytes([byte]) if isinstance(byte, int) else byte)
                if self.stop.wait(self.step):
                    return
            while sent < self.body_size and not self.stop.wait(self.step):
                self.sock.sendall(self.chunk)
                sent += len(self.chunk)
        except OSError:
            self.closed_by_server = True

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


def slow_body(port: int, size: int) -> SlowClient:
    head = (
        f"POST /sign-in/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {CSRF_COOKIE}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {size}\r\n\r\n"
    ).encode()
    return SlowClient(port, head, size, step=0.1, chunk=b"a" * 100)  # 1 KB/s


def slow_headers(port: int) -> SlowClient:
    head = b"GET /figures/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"p" * 400 + b"\r\n\r\n"
    return SlowClient(port, head, 0, step=0.5, chunk=b"")  # two bytes a second


def probe_under_slow_clients(port: int, clients: list[SlowClient]) -> list[tuple[int | None, float]]:
    for client in clients:
        client.start()
    probes = []
    deadline = time.monotonic() + TRICKLE_SECONDS
    while time.monotonic() < deadline:
        probes.append(healthz(port))
        time.sleep(PROBE_EVERY)
    return probes


@pytest.mark.slow
@pytest.mark.django_db
def test_healthz_answers_while_slow_clients_hold_connections(tmp_path):
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "ombudsman.wsgi"],
        cwd=ROOT,
        env=gunicorn_environment(port, tmp_path / "var"),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    clients = [slow_body(port, 60_000 if index % 2 else 1024 * 1024) for index in range(SLOW_BODIES)]
    clients += [slow_headers(port) for _ in range(SLOW_HEADERS)]
    try:
        wait_until(lambda: healthz(port, timeout=2)[0] == 200, timeout=90, what="gunicorn to answer /healthz")
        before = [healthz(port) for _ in range(5)]

        probes = probe_under_slow_clients(port, clients)

        still_open = [not client.closed_by_server for client in clients]
    finally:
        for client in clients:
            if client.thread is not None:
                client.finish()
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        log.close()

    slowest = max(seconds for _, seconds in probes)
    print(  # the figure the issue asks about; measured, not asserted beyond PROBE_TIMEOUT
        f"/healthz: {len(probes)} probes under {len(clients)} slow connections, slowest {slowest * 1000:.0f} ms "
        f"(idle: {max(seconds for _, seconds in before) * 1000:.0f} ms)"
    )
    assert [status for status, _ in before] == [200] * 5
    assert [status for status, _ in probes] == [200] * len(probes)
    assert len(probes) >= TRICKLE_SECONDS / (PROBE_EVERY + PROBE_TIMEOUT)
    assert sum(still_open) >= SLOW_BODIES // 2 + SLOW_HEADERS, "the slow clients were cut off: nothing was tested"
