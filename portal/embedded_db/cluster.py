"""The embedded cluster's places (data directory, lock, socket) and URL: facts computed from the environment, no
process started."""

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


def not_running_message(cluster: EmbeddedCluster) -> str:
    return (f"The embedded PostgreSQL ({cluster.pgdata}) is not running: start it with `make run` "
            f"or `{sys.executable} -m portal.embedded_db start`, or set DATABASE_URL.")
