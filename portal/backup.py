"""pg_dump / pg_restore of the portal's database, embedded or external (DATABASE_URL).

The tools come from the pgserver package (PostgreSQL 16, the embedded server's own version);
PORTAL_PG_BIN points at another directory of PostgreSQL binaries, e.g. for a newer external server.
The connection travels in PG* environment variables, so a password never shows in `ps`.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

from portal.embedded_db.server import postgres_tool


class BackupError(RuntimeError):
    pass


def pg_tool(name: str) -> Path:
    if os.environ.get("PORTAL_PG_BIN"):
        return Path(os.environ["PORTAL_PG_BIN"]) / name
    return postgres_tool(name)  # found without importing pgserver, whose import has side effects


def connection_environment(alias: str = "default") -> dict[str, str]:
    """PG* variables for the database Django uses, so the tools need no command-line credentials."""
    config = connections[alias].settings_dict
    variables = {
        "PGHOST": config["HOST"],
        "PGPORT": str(config["PORT"] or ""),
        "PGUSER": config["USER"],
        "PGPASSWORD": config["PASSWORD"],
        "PGDATABASE": config["NAME"],
        "PGSSLMODE": config.get("OPTIONS", {}).get("sslmode", ""),
    }
    return {**os.environ, **{key: value for key, value in variables.items() if value}}


def default_backup_path(now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "backups" / f"portal-{stamp}.dump"


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=connection_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        message = result.stderr.strip() or f"exit status {result.returncode}"
        raise BackupError(f"{Path(command[0]).name} failed: {message}")


def backup(path: Path) -> Path:
    """A custom-format dump (pg_dump -Fc): compressed, restorable table by table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        _run([str(pg_tool("pg_dump")), "--format=custom", "--no-owner", "--file", str(partial)])
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)  # a dump that exists is a complete dump
    return path


def restore(path: Path) -> None:
    """Replace the dumped objects by the file's, in one transaction: a failed restore changes nothing."""
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    connections.close_all()
    _run([
        str(pg_tool("pg_restore")), "--clean", "--if-exists", "--no-owner", "--single-transaction",
        "--exit-on-error", "--dbname", connection_environment()["PGDATABASE"], str(path),
    ])
