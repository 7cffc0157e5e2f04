"""Concurrent clients on loopback for a fixed time: the one request loop of the benchmark and the load test.

Each client is a thread with its own keep-alive http.client connection, cycling through the same mix of
(kind, path) from its own starting point, so that at any moment the clients ask for different pages.
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tools import live_server

Mix = list[tuple[str, str]]  # (kind, path)


@dataclass
class Outcome:
    kind: str
    status: int | None  # None: the connection failed
    seconds: float
    started: float  # since the start of the run
    body: bytes = b""  # kept for an answer other than a 200 only: the load test checks what it exposes
    error: str = ""  # why the connection failed


def _client(port: int, mix: Mix, offset: int, origin: float, deadline: float, outcomes: list,
            timeout: float) -> None:
    """Requests one after another until the deadline; a failed connection is recorded and replaced."""
    connection = http.client.HTTPConnection(live_server.HOST, port, timeout=timeout)
    for kind, path in itertools.islice(itertools.cycle(mix), offset, None):
        started = time.monotonic()
        if started >= deadline:
            break
        try:
            response = live_server.get(port, path, connection)
            body = b"" if response.status == 200 else response.body
            outcomes.append(Outcome(kind, response.status, response.seconds, started - origin, body))
        except (OSError, http.client.HTTPException) as error:
            outcomes.append(Outcome(kind, None, time.monotonic() - started, started - origin, error=repr(error)))
            connection.close()
            connection = http.client.HTTPConnection(live_server.HOST, port, timeout=timeout)
    connection.close()


def run_clients(port: int, mix: Mix, *, clients: int, seconds: float, stagger: int = 7, timeout: float = 60,
                during: Callable[[float], None] | None = None) -> tuple[list[Outcome], float]:
    """``clients`` threads for ``seconds``, client i starting at mix entry i * stagger; ``during(origin)``, if
    given, runs meanwhile in this thread. Returns the outcomes and the elapsed seconds."""
    outcomes: list[Outcome] = []
    origin = time.monotonic()
    threads = [threading.Thread(target=_client,
                                args=(port, mix, index * stagger, origin, origin + seconds, outcomes, timeout))
               for index in range(clients)]
    for thread in threads:
        thread.start()
    if during:
        during(origin)
    for thread in threads:
        thread.join()
    return outcomes, time.monotonic() - origin
