"""PostgreSQL refuses to run as root, and CI runs as root: then the server runs as a system user, as pgserver did."""

from __future__ import annotations

import os
import pwd
import stat
import subprocess
from pathlib import Path

from portal.embedded_db.cluster import EmbeddedDatabaseError

SERVER_USER = "pgserver"  # the user pgserver creates, so clusters it made keep their owner


def server_user(cluster) -> str | None:
    """None when not root (the server runs as the caller); else the cluster's owner, or pgserver's user."""
    if os.geteuid() != 0:
        return None
    try:
        owner = pwd.getpwuid(cluster.pgdata.stat().st_uid).pw_name
        if owner != "root":
            return owner
    except (FileNotFoundError, KeyError):
        pass
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:  # another process (pgserver in a test) may be adding it at the same moment: check again after
        subprocess.run(["useradd", "--system", "--shell", "/usr/sbin/nologin", SERVER_USER], capture_output=True)
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError as error:
            raise EmbeddedDatabaseError(f"PostgreSQL cannot run as root, and adding the user {SERVER_USER} "
                                        "failed: run `useradd --system pgserver`") from error
    return SERVER_USER


def grant_access(path: Path, user: str | None) -> None:
    """Give `path` to `user` and let it traverse every parent directory (a mkdtemp parent is mode 0700)."""
    if user is None:
        return
    entry = pwd.getpwnam(user)
    if path.stat().st_uid != entry.pw_uid:
        os.chown(path, entry.pw_uid, entry.pw_gid)
    for parent in path.parents:
        mode = parent.stat().st_mode
        if mode & (stat.S_IXGRP | stat.S_IXOTH) != stat.S_IXGRP | stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXGRP | stat.S_IXOTH)
