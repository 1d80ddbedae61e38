"""The demo's server-less Celery broker: kombu's filesystem transport, with whole messages.

kombu writes a message straight into the folder the worker reads, so a worker polling at that
moment can take a file that is still empty: the worker then stops with "Unrecoverable error:
JSONDecodeError" and the message is lost. Here a message is written under a name the reader
skips (it ends in `.tmp`) and renamed into place when complete; a rename within a folder is
atomic, so the reader sees a whole message or none. `ombudsman.celery` registers this class
for `filesystem://` URLs.

The queue lives in `<var dir>/celery` (transport_options): settings use it for the web and worker
processes, and so do the tests and benchmarks that start a worker and send it tasks from outside.
"""

import os
import time
import uuid
from pathlib import Path

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put `payload` onto `queue`: written aside, then renamed into the queue's folder."""
        name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + ".tmp"
        try:
            with open(partial, "wb") as out:
                out.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
    # A folder has no host: kombu's default ("localhost") made every connection warn "No
    # hostname was supplied. Reverting to default 'localhost'" (web, worker and beat each).
    default_connection_params = {"port": None, "hostname": None}


def transport_options(var_dir: Path) -> dict:
    """Kombu's options for the queue in var_dir/celery (its folders made if missing)."""
    queue = var_dir / "celery"
    for folder in ("out", "processed", "control"):
        (queue / folder).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue / "out"),
        "data_folder_out": str(queue / "out"),
        "processed_folder": str(queue / "processed"),
        "control_folder": str(queue / "control"),
        "store_processed": False,
        # The worker takes one message per poll (prefetch 1, late acks) and sleeps this long
        # whenever it cannot take another: kombu's 1 s default left the two processes idle most
        # of the time (about 2 letters/s instead of 20).
        "polling_interval": 0.05,
    }
