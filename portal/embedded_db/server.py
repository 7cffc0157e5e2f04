"""Start and stop the embedded PostgreSQL so that no interrupted or concurrent command breaks the next one.

Every change happens under an exclusive flock on `<data_dir>/pg.lock`; the kernel drops it when its holder dies,
however it dies. The only record of the server is PostgreSQL's own postmaster.pid, always checked against the live
process. pg_ctl starts the server in a session of its own, so a signal to the command that started it (Ctrl-C, a
killed `make run`) leaves it serving the next command. A new cluster is made by initdb in a staging directory
renamed into place, so an interrupted initdb leaves nothing half made. Older versions of the portal went through
pgserver, whose `.handle_pids.json` every process rewrote non-atomically; it is no longer used and is removed.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
import psycopg
from psycopg import sql

from portal.embedded_db.cluster import SOCKET_NAME, SUPERUSER, EmbeddedCluster, EmbeddedDatabaseError
from portal.embedded_db.postmaster import Postmaster, live_postmaster, remove_stale_pid_file
from portal.embedded_db.system_user import grant_access, server_user

LEGACY_STATE_FILES = (".handle_pids.json",)  # pgserver's list of the processes using the server
START_TIMEOUT = 120  # seconds; crash recovery after an unclean stop can take a while
STOP_TIMEOUT = 120


def postgres_tool(name: str) -> Path:
    """pgserver's PostgreSQL 16 binaries, found without importing pgserver (whose import has side effects)."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedDatabaseError("the pgserver package is not installed: run `make install`")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name


def run_tool(name: str, arguments: list[str], user: str | None, timeout: float) -> tuple[int, str]:
    """(exit status, output). Output goes to a file, not a pipe, which the detached server could keep open."""
    with tempfile.TemporaryFile() as output:
        try:
            result = subprocess.run([str(postgres_tool(name)), *arguments], stdin=subprocess.DEVNULL, stdout=output,
                                    stderr=subprocess.STDOUT, user=user, cwd="/", timeout=timeout)
            status = result.returncode
        except subprocess.TimeoutExpired:
            status = -1
        output.seek(0)
        return status, output.read().decode(errors="replace").strip()


@contextmanager
def cluster_lock(cluster: EmbeddedCluster):
    cluster.data_dir.mkdir(parents=True, exist_ok=True)
    with open(cluster.lock_path, "a") as lock_file:  # closing it releases the lock
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        yield


def remove_legacy_state(cluster: EmbeddedCluster) -> None:
    for name in LEGACY_STATE_FILES:
        (cluster.pgdata / name).unlink(missing_ok=True)


def is_running(cluster: EmbeddedCluster) -> bool:
    postmaster = live_postmaster(cluster.pgdata)
    return postmaster is not None and postmaster.ready and (cluster.socket_dir / SOCKET_NAME).is_socket()


def can_connect(cluster: EmbeddedCluster, database: str) -> bool:
    try:
        psycopg.connect(cluster.url(database), connect_timeout=5).close()
    except psycopg.Error:
        return False
    return True


def ensure_running(cluster: EmbeddedCluster, database: str) -> None:
    """Start the server if it is not running and create `database` if it does not exist."""
    remove_legacy_state(cluster)
    if can_connect(cluster, database):
        return
    with cluster_lock(cluster):
        remove_legacy_state(cluster)
        initialise(cluster)
        start(cluster)
        create_database(cluster, database)


def initialise(cluster: EmbeddedCluster) -> None:
    """A new cluster (trust authentication, UTF-8, superuser `postgres`, as pgserver made it) unless there is one."""
    pgdata = cluster.pgdata
    if (pgdata / "PG_VERSION").exists():
        return
    if (pgdata / "global" / "pg_control").exists():
        raise EmbeddedDatabaseError(f"{pgdata} holds a cluster without PG_VERSION: repair or remove it by hand")
    shutil.rmtree(pgdata, ignore_errors=True)  # no cluster there: pgserver's leftovers of an interrupted start
    staging = cluster.data_dir / "pg.initdb"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700, parents=True)
    user = server_user(cluster)
    grant_access(staging, user)
    status, output = run_tool("initdb", ["-D", str(staging), "--auth=trust", "--auth-local=trust",
                                         "--encoding=utf8", "-U", SUPERUSER], user, timeout=START_TIMEOUT)
    if status != 0:
        raise EmbeddedDatabaseError(f"initdb failed for {pgdata}: {last_line(output)}")
    staging.rename(pgdata)


def start(cluster: EmbeddedCluster) -> None:
    """Bring the server to `ready` on the expected socket; wait for one that is already starting."""
    deadline = time.monotonic() + START_TIMEOUT
    attempts = 0
    while time.monotonic() < deadline:
        postmaster = live_postmaster(cluster.pgdata)
        if postmaster is None:
            if attempts == 2:
                break
            attempts += 1
            launch(cluster)
        elif postmaster.ready and postmaster.socket_dir != cluster.socket_dir:
            stop_postmaster(cluster, postmaster)  # started by an older version on another socket directory
        elif postmaster.ready:
            return
        else:
            time.sleep(0.2)  # starting (another command launched it), or stopping
    raise EmbeddedDatabaseError(f"the embedded PostgreSQL in {cluster.pgdata} did not start: see {cluster.log_path}")


def launch(cluster: EmbeddedCluster) -> None:
    """pg_ctl start, after removing a postmaster.pid whose process is gone (or is now some other process)."""
    remove_stale_pid_file(cluster.pgdata)
    user = server_user(cluster)
    prepare_socket_dir(cluster, user)
    grant_access(cluster.pgdata, user)
    # Unix socket only: no TCP port to collide with another checkout
    options = f"-h '' -k '{cluster.socket_dir}' -c shared_buffers={shared_buffers()}"
    run_tool("pg_ctl", ["-D", str(cluster.pgdata), "-w", "-t", str(START_TIMEOUT), "-o", options,
                        "-l", str(cluster.log_path), "start"], user, timeout=START_TIMEOUT + 10)


def shared_buffers() -> str:
    """A quarter of the machine's memory, at most 2 GB (PORTAL_PG_SHARED_BUFFERS overrides). Why: PostgreSQL's
    default of 128 MB holds a fraction of a large corpus's texts and vectors, so a common search would copy most
    of them from the operating system's cache, page by page, on every request."""
    given = os.environ.get("PORTAL_PG_SHARED_BUFFERS")
    if given:
        return given
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return "128MB"
    return f"{max(128, min(2048, memory // 4 // 2**20))}MB"


def prepare_socket_dir(cluster: EmbeddedCluster, user: str | None) -> None:
    socket_dir = cluster.socket_dir
    if socket_dir == cluster.pgdata:
        return
    socket_dir.mkdir(mode=0o700, exist_ok=True)
    if user is None and socket_dir.stat().st_uid != os.geteuid():
        raise EmbeddedDatabaseError(f"{socket_dir} belongs to another user: remove it")
    grant_access(socket_dir, user)


def stop(cluster: EmbeddedCluster) -> bool:
    """Stop the server (fast: open sessions are closed) and clear stale state; False if it was not running."""
    with cluster_lock(cluster):
        remove_legacy_state(cluster)
        postmaster = live_postmaster(cluster.pgdata)
        if postmaster is not None:
            stop_postmaster(cluster, postmaster)
        remove_stale_pid_file(cluster.pgdata)
        return postmaster is not None


def stop_postmaster(cluster: EmbeddedCluster, postmaster: Postmaster) -> None:
    status, output = run_tool("pg_ctl", ["-D", str(cluster.pgdata), "-w", "-t", str(STOP_TIMEOUT), "-m", "fast",
                                         "stop"], server_user(cluster), timeout=STOP_TIMEOUT + 10)
    try:
        psutil.Process(postmaster.pid).wait(timeout=STOP_TIMEOUT)
    except psutil.NoSuchProcess:
        pass
    except psutil.TimeoutExpired as error:
        raise EmbeddedDatabaseError(f"the embedded PostgreSQL did not stop: {last_line(output)}") from error


def delete(cluster: EmbeddedCluster) -> None:
    """Stop the server and delete the whole data directory (make clean-db)."""
    stop(cluster)
    if cluster.socket_dir != cluster.pgdata:
        shutil.rmtree(cluster.socket_dir, ignore_errors=True)
    shutil.rmtree(cluster.data_dir, ignore_errors=True)


def create_database(cluster: EmbeddedCluster, name: str) -> None:
    try:
        with psycopg.connect(cluster.url("postgres"), autocommit=True, connect_timeout=10) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise EmbeddedDatabaseError(f"the embedded PostgreSQL in {cluster.pgdata} is up but refused the portal's "
                                    f"database: {last_line(str(error))}") from error


def last_line(output: str) -> str:
    return output.splitlines()[-1] if output else "no output"
