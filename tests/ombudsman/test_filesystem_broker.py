"""The demo's filesystem broker: a worker never takes a message that is still being written."""

import logging
from queue import Empty

import pytest
from kombu import Connection

from ombudsman.celery import app
from ombudsman.filesystem_broker import Transport


@pytest.fixture
def connection(tmp_path):
    folder = tmp_path / "queue"
    folder.mkdir()
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder), "store_processed": False}
    with Connection("filesystem://", transport_options=options) as connection:
        yield connection, folder


def test_the_celery_app_uses_our_transport_for_filesystem_urls():
    with app.connection_for_write("filesystem://") as connection:
        assert isinstance(connection.transport, Transport)


def test_a_message_is_put_whole_and_taken_once(connection):
    connection, folder = connection
    channel = connection.default_channel

    channel._put("celery", {"body": "letter 1"})

    assert [path.suffix for path in folder.iterdir()] == [".msg"]  # no partial file left behind
    assert channel._get("celery") == {"body": "letter 1"}
    with pytest.raises(Empty):
        channel._get("celery")


def test_a_worker_polling_while_a_message_is_written_finds_nothing(connection, monkeypatch):
    """kombu's own transport creates the file, then encodes and writes: a poll in between took
    an empty file (JSONDecodeError, the worker stopped, the message lost)."""
    from ombudsman import filesystem_broker

    connection, _folder = connection
    channel = connection.default_channel
    seen_while_writing = []
    encode = filesystem_broker.dumps

    def dumps_while_a_worker_polls(payload):
        try:
            seen_while_writing.append(channel._get("celery"))
        except Empty:
            seen_while_writing.append(None)
        return encode(payload)

    monkeypatch.setattr(filesystem_broker, "dumps", dumps_while_a_worker_polls)
    channel._put("celery", {"body": "letter 1"})

    assert seen_while_writing == [None]
    assert channel._get("celery") == {"body": "letter 1"}


def test_a_connection_does_not_warn_about_a_missing_hostname(caplog):
    """kombu warned "No hostname was supplied" once per process (web, worker, beat) in every demo."""
    with caplog.at_level(logging.WARNING), app.connection_for_write("filesystem://") as connection:
        assert connection.as_uri().startswith("filesystem://")
        connection.info()

    assert [record.getMessage() for record in caplog.records] == []
