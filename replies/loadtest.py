"""Load and fault test: concurrent clients on loopback against the portal under gunicorn (production settings).

    python -m replies.loadtest                      # 32 clients, 60 s, on the portal's database
    python -m replies.loadtest --outage             # the same on a throw-away PostgreSQL stopped for 10 s midway
    python -m replies.loadtest --clients 2 --seconds 2

Each client is a thread with its own keep-alive http.client connection, cycling through a fixed mix of
searches (Traditional, Simplified, English, phrases), filtered listings, reply, member and head pages, API calls
and small exports. The report gives requests/s and p50/p95/p99 per kind, and every answer that was not a 200.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import re
import shutil
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from replies.benchmark import server

SEARCHES = {
    "search_traditional": ["數碼港", "智方便", "數碼港 科學園", "創新科技 -數碼港", "網絡安全"],
    "search_simplified": ["数码港", "智方便", "科学园 OR 数码港", "人工智能"],
    "search_english": ["AI", "5G", "Web3", "InnoHK", "1823"],
    "search_phrase": ['"iAM Smart"', '"數碼港 "', '"數字經濟"'],
}
LISTINGS = ["?head=47", "?year=2023-24&ordering=-serial", "?page=2", "?ordering=member&page=3", "?head=47&programme=1"]
REPLY_SERIALS = ["ITIB001", "ITIB050", "ITIB120", "ITIB200", "ITIB263"]
EXPORTS = ["/replies/export.csv?q=" + quote("數碼港"), "/replies/export.json?q=InnoHK", "/replies/feed/?q=AI"]
OUTAGE_RESPONSE = 503


def request_mix(member_ids: list[int]) -> list[tuple[str, str]]:
    """(kind, path) pairs: every search on the listing and the API, then pages, API calls and exports."""
    mix = []
    for kind, queries in SEARCHES.items():
        for query in queries:
            mix += [(kind, f"/replies/?{urlencode({'q': query})}"), (kind, f"/api/replies/?{urlencode({'q': query})}")]
    mix += [("listing", f"/replies/{params}") for params in LISTINGS]
    mix += [("reply", f"/replies/2023-24/{serial}/") for serial in REPLY_SERIALS]
    mix += [("member", f"/members/{member_id}/") for member_id in member_ids] + [("member", "/members/")]
    mix += [("head", "/heads/47/"), ("home", "/"), ("home", "/en/")]
    mix += [("api", "/api/replies/?page_size=50"), ("api", "/api/replies/2023-24/ITIB010/")]
    mix += [("export", path) for path in EXPORTS]
    return mix


def member_ids(port: int, limit: int = 6) -> list[int]:
    """Some member ids, read from the members page as a visitor would find them."""
    body = server.get(port, "/members/").body.decode()
    return [int(found) for found in dict.fromkeys(re.findall(r'href="/members/(\d+)/"', body))][:limit]


@dataclass
class Outcome:
    kind: str
    status: int | None  # None: the connection failed
    seconds: float
    started: float  # since the start of the run
    problem: str = ""  # for a non-200: what was wrong with the answer, if anything


def _check_failure(status: int, body: bytes) -> str:
    """A non-200 answer is acceptable only as the short 503 page: never a traceback or a driver message."""
    text = body.decode(errors="replace")
    leaks = [word for word in ("Traceback", "OperationalError", "psycopg") if word in text]
    if leaks:
        return f"{status} exposes {', '.join(leaks)}"
    return "" if status == OUTAGE_RESPONSE else f"unexpected status {status}"


def _client(port: int, mix, offset: int, origin: float, deadline: float, outcomes: list) -> None:
    connection = http.client.HTTPConnection(server.HOST, port, timeout=60)
    for kind, path in itertools.islice(itertools.cycle(mix), offset, None):
        started = time.monotonic()
        if started >= deadline:
            break
        try:
            response = server.get(port, path, connection)
            problem = "" if response.status == 200 else _check_failure(response.status, response.body)
            outcomes.append(Outcome(kind, response.status, response.seconds, started - origin, problem))
        except (OSError, http.client.HTTPException) as error:
            outcomes.append(Outcome(kind, None, time.monotonic() - started, started - origin, repr(error)))
            connection.close()
            connection = http.client.HTTPConnection(server.HOST, port, timeout=60)
    connection.close()


def run_clients(port: int, mix, *, clients: int, seconds: float, during=None) -> tuple[list[Outcome], float]:
    """``clients`` threads for ``seconds``; ``during(origin)``, if given, runs meanwhile in this thread."""
    outcomes: list[Outcome] = []
    origin = time.monotonic()
    threads = [threading.Thread(target=_client, args=(port, mix, index * 7, origin, origin + seconds, outcomes))
               for index in range(clients)]
    for thread in threads:
        thread.start()
    if during:
        during(origin)
    for thread in threads:
        thread.join()
    return outcomes, time.monotonic() - origin


def warm_up(port: int, mix, workers: int) -> None:
    """A search per worker and then some, at once, before measuring: each worker loads jieba and OpenCC on its
    first search (seconds), which is start-up cost, not load."""
    searches = [(kind, path) for kind, path in mix if kind.startswith("search")]
    threads = [threading.Thread(target=server.get, args=(port, path)) for _, path in searches[: workers * 3]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def summary(outcomes: list[Outcome], elapsed: float) -> dict:
    """requests/s overall; count and p50/p95/p99 (ms, of the 200s) per kind; every non-200 by status."""
    kinds = {}
    for kind in sorted({outcome.kind for outcome in outcomes}):
        times = [o.seconds for o in outcomes if o.kind == kind and o.status == 200]
        kinds[kind] = {"requests": sum(o.kind == kind for o in outcomes),
                       **{f"p{p}_ms": round(percentile(times, p / 100) * 1000, 1) for p in (50, 95, 99)}}
    return {
        "seconds": round(elapsed, 1),
        "requests": len(outcomes),
        "requests_per_second": round(len(outcomes) / elapsed, 1) if elapsed else 0.0,
        "statuses": dict(Counter(str(o.status) for o in outcomes)),
        "problems": sorted({o.problem for o in outcomes if o.problem}),
        "kinds": kinds,
    }


def normal_run(clients: int, seconds: float, workers: int, database: str = "portal") -> dict:
    """The portal's own database under gunicorn: every answer must be a 200."""
    with server.gunicorn(database, workers=workers, timeout=60) as portal:
        return {"mode": "normal", **measure_load(portal.port, clients, seconds, workers)}


def measure_load(port: int, clients: int, seconds: float, workers: int) -> dict:
    mix = request_mix(member_ids(port))
    warm_up(port, mix, workers)
    outcomes, elapsed = run_clients(port, mix, clients=clients, seconds=seconds)
    result = summary(outcomes, elapsed)
    return {"clients": clients, "server_workers": workers, **result,
            "errors": sum(o.status != 200 for o in outcomes)}


def outage_run(clients: int, seconds: float, gap: float, workers: int) -> dict:
    """A throw-away PostgreSQL with the bundled replies, stopped for ``gap`` seconds in the middle of the load."""
    from tests.throwaway import PortalServer, ThrowawayPostgres, migrated_database, portal_environment

    directory = Path(tempfile.mkdtemp(prefix="portal-loadtest-"))
    postgres = ThrowawayPostgres(directory)
    try:
        url = migrated_database(postgres, "portal_loadtest", "fixtures/itib-2023-24.txt")
        portal = PortalServer(portal_environment(url, DJANGO_SECURE_SSL_REDIRECT="0"), workers=workers)
        try:
            return measure_outage(portal.port, postgres, clients, seconds, gap, workers)
        finally:
            portal.close()
    finally:
        postgres.close()
        shutil.rmtree(directory, ignore_errors=True)


def measure_outage(port: int, postgres, clients: int, seconds: float, gap: float, workers: int) -> dict:
    window = {}

    def stop_and_start(origin: float) -> None:
        time.sleep(max(0.0, (seconds - gap) / 2 - (time.monotonic() - origin)))
        window["stopped"] = time.monotonic() - origin
        postgres.stop()
        time.sleep(gap)
        postgres.start()
        window["started"] = time.monotonic() - origin

    mix = request_mix(member_ids(port))
    warm_up(port, mix, workers)
    outcomes, elapsed = run_clients(port, mix, clients=clients, seconds=seconds, during=stop_and_start)
    before = [o for o in outcomes if o.started + o.seconds < window["stopped"]]
    after = [o for o in outcomes if o.started > window["started"]]
    return {
        "mode": "outage", "clients": clients, "gap_seconds": gap,
        "stopped_at": round(window["stopped"], 1), "started_at": round(window["started"], 1),
        **summary(outcomes, elapsed),
        "unavailable_503": sum(o.status == OUTAGE_RESPONSE for o in outcomes),
        "non_200_before_stop": sum(o.status != 200 for o in before),
        "non_200_after_restart": sum(o.status != 200 for o in after),
        "after_restart_requests": len(after),
        "first_200_after_restart_s": _first_success_delay(after, window["started"]),
    }


def _first_success_delay(after: list[Outcome], started: float) -> float | None:
    successes = [o.started + o.seconds for o in after if o.status == 200]
    return round(min(successes) - started, 2) if successes else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--outage", action="store_true", help="throw-away PostgreSQL, stopped midway")
    parser.add_argument("--gap", type=float, default=10, help="seconds PostgreSQL stays stopped (--outage)")
    args = parser.parse_args(argv)
    if args.outage:
        result = outage_run(args.clients, args.seconds, args.gap, args.workers)
        failed = bool(result["problems"]) or result["non_200_before_stop"] or result["non_200_after_restart"]
    else:
        result = normal_run(args.clients, args.seconds, args.workers)
        failed = result["errors"] > 0
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
