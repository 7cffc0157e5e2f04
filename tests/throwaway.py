"""Test helpers that need processes of their own: a throw-away PostgreSQL server in a temporary
directory (never the shared one under .data/, which others use) and the real portal served by
gunicorn on loopback, pointed at it through DATABASE_URL."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
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


def postgres_fixture(directory_name: str):
    """A module-scoped pytest fixture yielding a ThrowawayPostgres, deleted after the module.

    Its directory is not under pytest's tmp_path: a concurrent pytest run of someone else prunes
    old /tmp/pytest-of-<user>/ directories, and would delete the data of a server still running.
    """

    @pytest.fixture(scope="module")
    def postgres():
        directory = Path(tempfile.mkdtemp(prefix=f"portal-{directory_name}-"))
        server = ThrowawayPostgres(directory)
        yield server
        server.close()
        shutil.rmtree(directory, ignore_errors=True)

    return postgres


def portal_environment(database_url: str, **overrides: str) -> dict[str, str]:
    """Production settings (DEBUG off) on `database_url`, HTTPS announced by a trusted proxy header."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_BEHIND_PROXY": "1",
    }
    env.pop("DATABASE_TEST_NAME", None)
    return {**env, **overrides}


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
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
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PortalServer:
    """The real portal under gunicorn on 127.0.0.1 (production settings, static files collected)."""

    def __init__(self, env: dict[str, str], workers: int = 2):
        self.static_root = Path(tempfile.mkdtemp(prefix="portal-static-"))  # outside pytest's pruned tmp dirs
        self.env = {**env, "DJANGO_STATIC_ROOT": str(self.static_root)}
        manage(self.env, "collectstatic", "--noinput")
        self.port = free_port()
        # gunicorn logs every failed request: a pipe nobody reads would fill up and block the workers under load
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", "30", "--no-control-socket"],  # others may run a gunicorn too
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log,
        )
        self._wait_until_listening()

    def _wait_until_listening(self, limit: float = 60) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"gunicorn exited: {self.log.read().decode()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start listening")

    def get(self, path: str, https: bool = True) -> tuple[int, Message, str]:
        """(status, headers, body) of a GET, redirects not followed; `https` as the proxy would announce it."""
        headers = {"X-Forwarded-Proto": "https"} if https else {}
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def close(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.static_root, ignore_errors=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
