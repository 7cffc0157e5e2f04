"""The portal running for real, for the tests and the tools: a throw-away PostgreSQL server and the portal served
by gunicorn on loopback with production settings, plus timed requests against it.

The throw-away server lives in a temporary directory, never the shared one under .data/, which others use. The
gunicorn is started and stopped by its own pid: other people may run a gunicorn on the same machine.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
PORTAL_TABLES_QUERY = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"


def all_rows(cursor) -> dict[str, list[str]]:
    """Every row of every table of the public schema, as text: equal dumps mean an unchanged database."""
    cursor.execute(PORTAL_TABLES_QUERY)
    tables = [row[0] for row in cursor.fetchall()]
    dump = {}
    for table in tables:
        cursor.execute(f'SELECT t::text FROM "{table}" t ORDER BY 1')
        dump[table] = [row[0] for row in cursor.fetchall()]
    return dump


class ThrowawayPostgres:
    """A pgserver PostgreSQL 16 in `directory`, deleted by close(); stop() and start() keep its socket."""

    def __init__(self, directory: Path):
        if "XDG_RUNTIME_DIR" not in os.environ:  # pgserver keeps its lock there; without it platformdirs warns
            runtime_dir = Path(tempfile.gettempdir()) / f"portal-runtime-{os.getuid()}"  # outlives `directory`
            runtime_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
        import pgserver
        from pgserver._commands import pg_ctl

        self._pg_ctl = pg_ctl
        self.server = pgserver.get_server(directory / "pg", cleanup_mode="delete")
        self.pgdata = self.server.pgdata
        self.socket_dir = self.server.get_postmaster_info().socket_dir

    def url(self, database: str = "postgres") -> str:
        return self.server.get_uri(database)

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def rows(self, database: str) -> dict[str, list[str]]:
        with psycopg.connect(self.url(database)) as conn, conn.cursor() as cursor:
            return all_rows(cursor)

    def stop(self) -> None:
        self._pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self.server.system_user, timeout=60)

    def start(self) -> None:
        options = ["-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.pgdata / "log")]
        self._pg_ctl(["-w", *options, "start"], pgdata=self.pgdata, user=self.server.system_user, timeout=60)

    def close(self) -> None:
        """Stop the server (pgserver only stops the postmaster it started itself, not one restarted here)."""
        if (self.pgdata / "postmaster.pid").exists():
            self.stop()
        self.server.cleanup()


def production_environment(**overrides: str) -> dict[str, str]:
    """The portal's production settings (DEBUG off, a random secret key), loopback host names only."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("DATABASE_TEST_NAME", None)  # a test run's setting must not leak into the server it starts
    return {**env, **overrides}


def portal_environment(database_url: str, **overrides: str) -> dict[str, str]:
    """Production settings on `database_url`, HTTPS announced by a trusted proxy header."""
    return production_environment(DATABASE_URL=database_url, DJANGO_BEHIND_PROXY="1", **overrides)


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """manage.py in a process of its own with `env`, its output captured; a failure raises with its stderr."""
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result


def migrated_database(postgres: ThrowawayPostgres, name: str, *reply_files: str) -> str:
    """A new database on `postgres` with the portal's tables and the given reply files imported."""
    url = postgres.create_database(name)
    env = portal_environment(url)
    manage(env, "migrate", "--noinput")
    if reply_files:
        manage(env, "import_replies", *reply_files)
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Response:
    status: int
    seconds: float  # from sending the request to reading the last byte of the body
    body: bytes
    headers: Message


def get(port: int, path: str, connection: http.client.HTTPConnection | None = None,
        headers: dict[str, str] | None = None, timeout: float = 600) -> Response:
    """GET `path` and read the whole body, redirects not followed; on `connection` (keep-alive) if given."""
    own = connection is None
    connection = connection or http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return Response(response.status, time.perf_counter() - started, body, response.headers)
    finally:
        if own:
            connection.close()


def stream(port: int, path: str) -> tuple[int, int, float]:
    """GET a large body without keeping it: (status, bytes, seconds)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=1800)
    try:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
        return response.status, size, time.perf_counter() - started
    finally:
        connection.close()


class PortalServer:
    """The real portal under gunicorn on 127.0.0.1 with `env` (see production_environment).

    Static files are collected into a temporary directory first, unless ``collect_static`` is false because the
    caller has collected them already (the benchmark, once for many servers).
    """

    def __init__(self, env: dict[str, str], workers: int = 2, timeout: int = 30, collect_static: bool = True):
        self.static_root = Path(tempfile.mkdtemp(prefix="portal-static-"))  # outside pytest's pruned tmp dirs
        self.env = {**env, "DJANGO_STATIC_ROOT": str(self.static_root)} if collect_static else dict(env)
        if collect_static:
            manage(self.env, "collectstatic", "--noinput")
        self.port = free_port()
        # gunicorn logs every failed request: a pipe nobody reads would fill up and block the workers under load
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"{HOST}:{self.port}",
             "--workers", str(workers), "--timeout", str(timeout), "--no-control-socket"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log,
        )
        try:
            self._wait_until_answering()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> PortalServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _wait_until_answering(self, limit: float = 60) -> None:
        """Until a worker has answered a request: listening is not enough to measure a worker's memory."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_tail()}")
            try:
                get(self.port, "/api/replies/?page_size=1")
                if self.worker_pids():
                    return
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {limit:.0f} s: {self.log_tail()}")

    def log_tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def get(self, path: str, https: bool = True) -> tuple[int, Message, str]:
        """(status, headers, body) of a GET, redirects not followed; `https` as the proxy would announce it."""
        response = get(self.port, path, headers={"X-Forwarded-Proto": "https"} if https else None, timeout=30)
        return response.status, response.headers, response.body.decode()

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the children of the master process."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_rss_mb(self) -> float:
        """The largest peak resident set (VmHWM) among the workers, in MB."""
        return max((_vm_hwm_kb(pid) for pid in self.worker_pids()), default=0) / 1024

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.static_root, ignore_errors=True)


def _vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
