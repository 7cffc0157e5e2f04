"""The production server (gunicorn) on 127.0.0.1 for a benchmark database, and timed requests against it."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"


def server_environment(database: str) -> dict[str, str]:
    """Production settings (DEBUG off) on the benchmark database."""
    return {
        **os.environ,
        "PORTAL_DATABASE": database,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production-use"),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback: TLS is the proxy's job
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the children of the master process."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_rss_mb(self) -> float:
        """The largest peak resident set (VmHWM) among the workers, in MB."""
        return max((_vm_hwm_kb(pid) for pid in self.worker_pids()), default=0) / 1024


def _vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


@contextmanager
def gunicorn(database: str, workers: int, timeout: int = 300):
    """A gunicorn serving the portal on the benchmark database; stopped (by its own pid) on exit."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")), "portal.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", str(workers), "--timeout", str(timeout),
        "--log-level", "warning",
    ]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=server_environment(database))
    server = Server(port, process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.process.returncode}")
        try:
            get(server.port, "/api/replies/?page_size=1")
            workers = server.worker_pids()
            if workers:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")


@dataclass
class Response:
    status: int
    seconds: float
    body: bytes


def get(port: int, path: str, connection: http.client.HTTPConnection | None = None) -> Response:
    """GET path and read the whole body; times the request from sending to the last byte."""
    own = connection is None
    connection = connection or http.client.HTTPConnection(HOST, port, timeout=600)
    try:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return Response(response.status, time.perf_counter() - started, body)
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
