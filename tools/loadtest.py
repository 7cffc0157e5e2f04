"""Load and fault test: concurrent clients on loopback against the portal under gunicorn (production settings).

    python -m tools.loadtest                      # 32 clients, 60 s, on the portal's database
    python -m tools.loadtest --outage             # the same on a throw-away PostgreSQL stopped for 10 s midway
    python -m tools.loadtest --clients 2 --seconds 2

The clients (tools/load_clients.py) cycle through a fixed mix of searches (Traditional, Simplified, English,
phrases), filtered listings, reply, member and head pages, API calls and small exports. The report gives
requests/s and p50/p95/p99 per kind, and every answer that was not a 200.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

from portal.dburl import database_environment
from tools import live_server
from tools.live_server import (
    PortalServer,
    ThrowawayPostgres,
    migrated_database,
    portal_environment,
    production_environment,
)
from tools.load_clients import Outcome, run_clients
from tools.stats import percentiles_ms

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
    body = live_server.get(port, "/members/").body.decode()
    return [int(found) for found in dict.fromkeys(re.findall(r'href="/members/(\d+)/"', body))][:limit]


def _problem(outcome: Outcome) -> str:
    """What was wrong with an answer: a 200 is fine, a non-200 acceptable only as the short 503 page, never a
    traceback or a driver message; a failed connection is always a problem."""
    if outcome.status is None:
        return outcome.error
    if outcome.status == 200:
        return ""
    text = outcome.body.decode(errors="replace")
    leaks = [word for word in ("Traceback", "OperationalError", "psycopg") if word in text]
    if leaks:
        return f"{outcome.status} exposes {', '.join(leaks)}"
    return "" if outcome.status == OUTAGE_RESPONSE else f"unexpected status {outcome.status}"


def warm_up(port: int, mix, workers: int) -> None:
    """A search per worker and then some, at once, before measuring: each worker loads jieba and OpenCC on its
    first search (seconds), which is start-up cost, not load."""
    searches = [(kind, path) for kind, path in mix if kind.startswith("search")]
    threads = [threading.Thread(target=live_server.get, args=(port, path)) for _, path in searches[: workers * 3]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def summary(outcomes: list[Outcome], elapsed: float) -> dict:
    """requests/s overall; count and p50/p95/p99 (ms, of the 200s) per kind; every non-200 by status."""
    kinds = {}
    for kind in sorted({outcome.kind for outcome in outcomes}):
        times = [o.seconds for o in outcomes if o.kind == kind and o.status == 200]
        kinds[kind] = {"requests": sum(o.kind == kind for o in outcomes),
                       **percentiles_ms(times, shares=(50, 95, 99))}
    return {
        "seconds": round(elapsed, 1),
        "requests": len(outcomes),
        "requests_per_second": round(len(outcomes) / elapsed, 1) if elapsed else 0.0,
        "statuses": dict(Counter(str(o.status) for o in outcomes)),
        "problems": sorted({problem for problem in map(_problem, outcomes) if problem}),
        "kinds": kinds,
    }


def normal_run(clients: int, seconds: float, workers: int, database: str = "portal") -> dict:
    """The portal's own database under gunicorn: every answer must be a 200."""
    env = production_environment(**database_environment(database), DJANGO_SECURE_SSL_REDIRECT="0")
    with PortalServer(env, workers=workers, timeout=60) as portal:
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
    directory = Path(tempfile.mkdtemp(prefix="portal-loadtest-"))
    postgres = ThrowawayPostgres(directory)
    try:
        url = migrated_database(postgres, "portal_loadtest", "fixtures/itib-2023-24.txt")
        with PortalServer(portal_environment(url, DJANGO_SECURE_SSL_REDIRECT="0"), workers=workers) as portal:
            return measure_outage(portal.port, postgres, clients, seconds, gap, workers)
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
