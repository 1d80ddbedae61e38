"""rundemo: the port reaches the emails' links; SIGINT and SIGTERM stop every child and the database."""

import os
import signal

import pytest
from django.core.management import call_command

from demo.management.commands import rundemo


class FakeProcess:
    def __init__(self, command, cwd, env):
        self.command, self.env, self.signals, self.returncode = command, env, [], None

    def poll(self):
        return self.returncode

    def send_signal(self, signum):
        self.signals.append(signum)
        self.returncode = -signum

    def wait(self, timeout=None):
        return self.returncode

    def kill(self):
        self.returncode = -9


def delivering(signum):
    """A sleep for the watch loop that sends the signal, and fails the test if nothing stops the loop."""
    calls = []

    def sleep(seconds):
        calls.append(seconds)
        assert len(calls) < 20, "the signal did not stop the demo"
        os.kill(os.getpid(), signum)

    return sleep


@pytest.fixture
def started(monkeypatch):
    """Popen records the children; the first sleep of the watch loop delivers the signal under test."""
    children, released = [], []

    def popen(command, cwd, env):
        children.append(FakeProcess(command, cwd, env))
        return children[-1]

    monkeypatch.setattr(rundemo.subprocess, "Popen", popen)
    monkeypatch.setattr("ombudsman.embedded_db.embedded_database_release", released.append)
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    handlers = {signum: signal.getsignal(signum) for signum in rundemo.STOP_SIGNALS}
    yield children, released, monkeypatch
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_web_worker_beat_and_the_embedded_database(started, signum, capsys):
    children, released, monkeypatch = started
    monkeypatch.setattr(rundemo.time, "sleep", delivering(signum))

    call_command("rundemo", port=8101)

    assert len(children) == 3
    assert all(child.signals == [signal.SIGTERM] for child in children)
    assert len(released) == 1  # the embedded PostgreSQL is let go of, so it stops
    assert f"Stopping the demo ({signal.Signals(signum).name})" in capsys.readouterr().out


def test_a_signal_is_handled_even_where_the_shell_ignored_sigint(started):
    """`make demo &` starts with SIGINT ignored: rundemo installs its own handler all the same."""
    children, _released, monkeypatch = started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    monkeypatch.setattr(rundemo.time, "sleep", delivering(signal.SIGINT))

    call_command("rundemo", port=8101)

    assert all(child.signals == [signal.SIGTERM] for child in children)


def test_the_port_is_served_and_used_in_the_emails_links(started):
    children, _released, monkeypatch = started
    monkeypatch.setattr(rundemo.time, "sleep", delivering(signal.SIGTERM))

    call_command("rundemo", port=8101)

    web, worker, _beat = children
    assert web.command[-2:] == ["127.0.0.1:8101", "--noreload"]
    # The history's own queue (settings: beat's demo-history entry), taken in turn with the letters'.
    assert worker.command[worker.command.index("--queues") + 1].split(",") == ["celery", "demo"]
    assert {child.env["SITE_URL"] for child in children} == {"http://127.0.0.1:8101"}
    assert web.env["DJANGO_RUNSERVER_HIDE_WARNING"] == "true"  # no WARNING line in a healthy demo's log


def test_a_child_that_stops_stops_the_demo(started, capsys):
    children, released, monkeypatch = started

    def worker_dies(seconds):
        children[1].returncode = 1

    monkeypatch.setattr(rundemo.time, "sleep", worker_dies)

    call_command("rundemo", port=8101)

    assert children[0].signals == [signal.SIGTERM] and children[2].signals == [signal.SIGTERM]
    assert children[1].signals == []
    assert "worker stopped; stopping the demo." in capsys.readouterr().err
    assert len(released) == 1
