"""Start (or reuse) the embedded PostgreSQL under .data/ and hand back a connection URL.

The portal needs a real PostgreSQL (full-text search, GIN indexes), but a newcomer should not have to
install one: the `pgserver` package ships PostgreSQL 16 binaries, and this module keeps one server
running in the project's data directory for every command that needs it. `DATABASE_URL` bypasses it.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import psutil

logging.getLogger("pgserver").setLevel(logging.WARNING)


def _remove_stale_pid_file(pgdata: Path) -> None:
    """After a crash postmaster.pid survives; pgserver trusts it if its pid was reused by another process."""
    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return
    try:
        alive = "postgres" in psutil.Process(pid).name()
    except psutil.Error:
        alive = False
    if not alive:
        pid_file.unlink(missing_ok=True)


def _ensure_database(server_uri: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def embedded_database_url(data_dir: Path, database: str) -> str:
    """The URL of `database` on the embedded server, starting the server and creating the database if needed."""
    warnings.filterwarnings("ignore", module="platformdirs")
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    import pgserver

    pgdata = data_dir / "pg"
    pgdata.mkdir(parents=True, exist_ok=True)
    _remove_stale_pid_file(pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    _ensure_database(server.get_uri(), database)
    return server.get_uri(database)
