"""The embedded PostgreSQL under PORTAL_DATA_DIR: where it lives and how to reach it, without starting it.

The portal needs a real PostgreSQL (full-text search, GIN indexes), but a newcomer should not have to install one:
the `pgserver` package ships PostgreSQL 16 binaries, and portal/embedded_db/server.py keeps one server running on
the project's data directory. Its URL is fixed by that directory (a Unix socket, no TCP port), so importing the
settings starts nothing: manage.py and the test suite start the server when they need it, portal/wsgi.py only
checks that it is up, and `python -m portal.embedded_db stop` (make stop) stops it. DATABASE_URL bypasses it all.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SOCKET_NAME = ".s.PGSQL.5432"  # PostgreSQL names its socket after the port, 5432 unless told otherwise
SOCKET_PATH_LIMIT = 107  # bytes of sockaddr_un.sun_path on Linux, without its final NUL
SHORT_SOCKET_ROOT = Path("/tmp")  # fixed, not $TMPDIR: every process must compute the same URL
SUPERUSER = "postgres"


class EmbeddedDatabaseError(RuntimeError):
    """A one-line explanation for the person at the terminal, shown instead of a traceback."""


@dataclass(frozen=True)
class EmbeddedCluster:
    """One PostgreSQL cluster: its data directory (PGDATA) is `<data_dir>/pg`, as pgserver made it."""

    data_dir: Path

    @classmethod
    def from_environment(cls) -> EmbeddedCluster:
        return cls(Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / ".data")).resolve())

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pg"

    @property
    def lock_path(self) -> Path:
        """Beside PGDATA, not in it: initdb wants an empty directory, and the lock must exist before the cluster."""
        return self.data_dir / "pg.lock"

    @property
    def log_path(self) -> Path:
        return self.pgdata / "log"

    @property
    def socket_dir(self) -> Path:
        """PGDATA itself (where pgserver put the socket), or a short directory under /tmp when that path is too long."""
        if len(os.fsencode(self.pgdata / SOCKET_NAME)) <= SOCKET_PATH_LIMIT:
            return self.pgdata
        return SHORT_SOCKET_ROOT / f"portal-pg-{hashlib.sha256(os.fsencode(self.pgdata)).hexdigest()[:16]}"

    def url(self, database: str) -> str:
        return f"postgres://{SUPERUSER}@/{quote(database, safe='')}?host={quote(str(self.socket_dir))}"


def portal_database_name() -> str:
    return os.environ.get("PORTAL_DATABASE", "portal")


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
        from portal.embedded_db.server import ensure_running

        ensure_running(EmbeddedCluster.from_environment(), portal_database_name())


def not_running_message(cluster: EmbeddedCluster) -> str:
    return (f"The embedded PostgreSQL ({cluster.pgdata}) is not running: start it with `make run` "
            f"or `{sys.executable} -m portal.embedded_db start`, or set DATABASE_URL.")


def require_embedded_database() -> None:
    """For the commands that do not start it (gunicorn): one line saying what to run, not a traceback per request."""
    if uses_embedded_database():
        from portal.embedded_db.server import is_running

        cluster = EmbeddedCluster.from_environment()
        if not is_running(cluster):
            raise EmbeddedDatabaseError(not_running_message(cluster))
