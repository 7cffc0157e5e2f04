"""postmaster.pid, read and checked against the process it names: a stale or garbled file means no server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psutil

# postmaster.pid lines: pid, data directory, start time, port, socket directory, listen address, shared memory key,
# status (`starting`, `ready`, `stopping`; written last, once the server accepts connections)
PID_LINE, SOCKET_DIR_LINE, STATUS_LINE = 0, 4, 7


@dataclass(frozen=True)
class Postmaster:
    pid: int
    socket_dir: Path | None
    status: str

    @property
    def ready(self) -> bool:
        return self.status == "ready"


def read_pid_file(pgdata: Path) -> Postmaster | None:
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        pid = int(lines[PID_LINE])
    except (OSError, UnicodeDecodeError, ValueError, IndexError):
        return None
    socket_dir = lines[SOCKET_DIR_LINE].strip() if len(lines) > SOCKET_DIR_LINE else ""
    status = lines[STATUS_LINE].strip() if len(lines) > STATUS_LINE else "starting"
    return Postmaster(pid, Path(socket_dir) if socket_dir else None, status)


def runs_in(pid: int, pgdata: Path) -> bool:
    """Is `pid` a PostgreSQL process of this cluster? After a crash the pid may belong to any other process."""
    try:
        process = psutil.Process(pid)
        if process.name() != "postgres" or process.status() == psutil.STATUS_ZOMBIE:
            return False
        try:
            return Path(process.cwd()) == pgdata  # a postmaster works in its data directory
        except psutil.AccessDenied:
            return str(pgdata) in process.cmdline()
    except psutil.Error:
        return False


def live_postmaster(pgdata: Path) -> Postmaster | None:
    postmaster = read_pid_file(pgdata)
    if postmaster is None or not runs_in(postmaster.pid, pgdata):
        return None
    return postmaster


def remove_stale_pid_file(pgdata: Path) -> None:
    """PostgreSQL refuses to start while the pid in postmaster.pid is alive, even when another process reused it."""
    if live_postmaster(pgdata) is None:
        (pgdata / "postmaster.pid").unlink(missing_ok=True)
