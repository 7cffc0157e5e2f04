"""Throughput under load: concurrent clients on loopback for a fixed time, mixed searches and pages."""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from urllib.parse import urlencode

from replies.benchmark import server

SERVER_WORKERS = 4  # gunicorn sync workers: two per core


def mixed_paths(kinds) -> list[str]:
    """Every query kind on the API and the listing, plus plain listings, a second page and the home page."""
    paths = []
    for kind in kinds:
        query = urlencode(kind.params)
        paths += [f"/api/replies/?{query}", f"/replies/?{query}"]
    return paths + ["/replies/", "/replies/?page=2", "/api/replies/?page=3", "/"]


def _client(port: int, paths: list[str], start: int, deadline: float, results: list) -> None:
    """One client: requests one after another until the deadline; records (status or None, seconds)."""
    connection = http.client.HTTPConnection(server.HOST, port, timeout=120)
    for path in itertools.islice(itertools.cycle(paths), start, None):
        if time.monotonic() >= deadline:
            break
        try:
            response = server.get(port, path, connection)
            results.append((response.status, response.seconds))
        except (OSError, http.client.HTTPException):
            results.append((None, 0.0))
            connection.close()
            connection = http.client.HTTPConnection(server.HOST, port, timeout=120)
    connection.close()


def run(port: int, paths: list[str], *, clients: int, seconds: float) -> dict:
    """``clients`` threads for ``seconds``: requests/s, errors (non-200 or failed) and latency percentiles."""
    from replies.benchmark.measure import milliseconds

    results: list = []
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=_client, args=(port, paths, index * 3, deadline, results))
               for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    errors = sum(1 for status, _ in results if status != 200)
    times = [seconds for status, seconds in results if status == 200] or [0.0]
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(results),
            "requests_per_second": round(len(results) / elapsed, 1), "errors": errors,
            "server_workers": SERVER_WORKERS, **milliseconds(times)}
