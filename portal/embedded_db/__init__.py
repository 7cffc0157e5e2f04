"""The embedded PostgreSQL under PORTAL_DATA_DIR: where it lives and how to reach it, without starting it.

The portal needs a real PostgreSQL (full-text search, GIN indexes), but a newcomer should not have to install one:
the `pgserver` package ships PostgreSQL 16 binaries, and portal/embedded_db/server.py keeps one server running on
the project's data directory. Its URL is fixed by that directory (a Unix socket, no TCP port), so importing the
settings starts nothing: manage.py and the test suite start the server when they need it, portal/wsgi.py only
checks that it is up, and `python -m portal.embedded_db stop` (make stop) stops it. DATABASE_URL bypasses it all.
"""

from __future__ import annotations

import os

from portal.embedded_db import server
from portal.embedded_db.cluster import (
    BASE_DIR,
    SOCKET_NAME,
    SOCKET_PATH_LIMIT,
    SUPERUSER,
    EmbeddedCluster,
    EmbeddedDatabaseError,
    not_running_message,
    portal_database_name,
)

__all__ = ["BASE_DIR", "SOCKET_NAME", "SOCKET_PATH_LIMIT", "SUPERUSER", "EmbeddedCluster", "EmbeddedDatabaseError",
           "embedded_database_url", "not_running_message", "portal_database_name", "require_embedded_database",
           "start_embedded_database", "uses_embedded_database"]


def embedded_database_url() -> str:
    """The portal database's URL on the embedded server; starts nothing.

    It also points XDG_RUNTIME_DIR at a private directory of the data dir (as before) for the code that still
    drives pgserver itself (tests/throwaway.py, the binaries' lookup in portal/backup.py): pgserver keeps its lock
    there, and without it platformdirs warns and falls back to a directory shared with every other checkout.
    """
    cluster = EmbeddedCluster.from_environment()
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime_dir = cluster.data_dir / "run"
        runtime_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
    return cluster.url(portal_database_name())


def uses_embedded_database() -> bool:
    return not os.environ.get("DATABASE_URL")


def start_embedded_database() -> None:
    """For the commands that need the database: start the embedded server (unless DATABASE_URL is set)."""
    if uses_embedded_database():
        server.ensure_running(EmbeddedCluster.from_environment(), portal_database_name())


def require_embedded_database() -> None:
    """For the commands that do not start it (gunicorn): one line saying what to run, not a traceback per request."""
    if uses_embedded_database():
        cluster = EmbeddedCluster.from_environment()
        if not server.is_running(cluster):
            raise EmbeddedDatabaseError(not_running_message(cluster))
