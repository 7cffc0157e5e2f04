"""Measure one benchmark corpus: sizes, search vs ILIKE, page latencies, exports and load.

Runs in a Django process whose default database is the corpus (``PORTAL_DATABASE=bench_<N>``); the HTTP
figures come from gunicorn processes started on 127.0.0.1 with production settings on the same database.

    PORTAL_DATABASE=bench_20000 python -m tools.benchmark.measure --out result.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.db import connection  # noqa: E402  (after django.setup)
from django.db.models.expressions import RawSQL  # noqa: E402
from django.db.models import BooleanField  # noqa: E402

from portal.dburl import database_environment  # noqa: E402

from replies.filters import ReplyFilter  # noqa: E402
from replies.models import Passage, Reply  # noqa: E402
from search import parse_query  # noqa: E402
from tools import live_server  # noqa: E402
from tools.benchmark.terms import QueryKind, choose_kinds  # noqa: E402
from tools.corpus.synth import CorpusSource  # noqa: E402
from tools.live_server import PortalServer, production_environment  # noqa: E402
from tools.load_clients import run_clients  # noqa: E402
from tools.stats import milliseconds  # noqa: E402

PAGES = {"api": "/api/replies/", "listing": "/replies/"}
LOAD_WORKERS = 4  # gunicorn sync workers under load: two per core, as make serve-prod


def serving(database: str, workers: int) -> PortalServer:
    """gunicorn with production settings on the corpus's database; static files were collected by make bench."""
    env = production_environment(**database_environment(database), DJANGO_SECURE_SSL_REDIRECT="0")  # plain HTTP: loopback
    return PortalServer(env, workers=workers, timeout=300, collect_static=False)


def table_sizes() -> dict:
    """Sizes in MB of the reply table (heap + TOAST, and the heap alone), of all its indexes and of each one (the
    passages' GIN index too), and of the passage table (heap + TOAST)."""
    table, passages = Reply._meta.db_table, Passage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_table_size(%s), pg_relation_size(%s), pg_indexes_size(%s), pg_table_size(%s)",
                       [table, table, table, passages])
        whole, heap, indexes, passage_table = cursor.fetchone()
        cursor.execute("SELECT indexname, pg_relation_size(quote_ident(indexname)::regclass) FROM pg_indexes "
                       "WHERE tablename IN (%s, %s) ORDER BY indexname", [table, passages])
        each = {name: round(size / 2**20, 1) for name, size in cursor.fetchall()}
        columns = ("search_text", "match_vector", "meta_vector", "rank_vector")
        averages = ", ".join(f"avg(pg_column_size({column}))" for column in columns)
        cursor.execute(f"SELECT {averages} FROM {table}")
        column_bytes = dict(zip(columns, (round(float(value or 0)) for value in cursor.fetchone())))
    return {"table_mb": round(whole / 2**20, 1), "heap_mb": round(heap / 2**20, 1), "indexes_mb": round(indexes / 2**20, 1), "index_mb": each,
            "passage_table_mb": round(passage_table / 2**20, 1), "average_column_bytes": column_bytes}


def _timed(function, repeat: int) -> tuple[float, object]:
    """Median seconds of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def index_vs_ilike(kind: QueryKind, repeat: int, ilike_repeat: int) -> dict:
    """The portal's search (count + first page by relevance) against ILIKE '%term%' over search_text (count +
    first page in serial order), same filters, same database; the counts must agree."""
    params = kind.params
    if "q" not in params:
        return {}
    others = {key: value for key, value in params.items() if key != "q"}

    def indexed():
        results = ReplyFilter(params, queryset=Reply.objects.all()).qs
        return results.count(), list(results.values_list("pk", flat=True)[:20])

    def ilike():
        results = ReplyFilter(others, queryset=Reply.objects.all()).qs
        for term in parse_query(params["q"]).positive_terms:
            pattern = "%" + term.folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            results = results.filter(RawSQL(f'"{Reply._meta.db_table}"."search_text" ILIKE %s', [pattern],
                                            output_field=BooleanField()))
        return results.count(), list(results.values_list("pk", flat=True)[:20])

    index_seconds, (index_count, _) = _timed(indexed, repeat)
    ilike_seconds, (ilike_count, _) = _timed(ilike, ilike_repeat)
    return {"index_ms": round(index_seconds * 1000, 2), "ilike_ms": round(ilike_seconds * 1000, 1),
            "ratio": round(ilike_seconds / index_seconds, 1), "index_count": index_count, "ilike_count": ilike_count,
            "same_count": index_count == ilike_count}


def page_latency(port: int, kinds: list[QueryKind], requests: int) -> dict:
    """p50/p95 per kind and page over ``requests`` sequential requests (after two warm-up requests)."""
    figures: dict = {}
    for page, path in PAGES.items():
        for kind in kinds:
            url = f"{path}?{urlencode(kind.params)}"
            times, statuses = [], set()
            for attempt in range(requests + 2):
                response = live_server.get(port, url)
                statuses.add(response.status)
                if attempt >= 2:
                    times.append(response.seconds)
            count = json.loads(response.body)["count"] if page == "api" and response.status == 200 else None
            figures.setdefault(page, {})[kind.name] = {**milliseconds(times), "statuses": sorted(statuses),
                                                       "count": count}
    return figures


REPLY_PAGES = 20  # replies with tables whose pages are timed


def reply_page_paths() -> list[str]:
    """Pages of replies with tables, spread over the corpus (what issue 14 adds to a reply page)."""
    with_tables = Reply.objects.exclude(tables=[]).order_by("pk")
    total = with_tables.count()
    step = max(1, total // REPLY_PAGES)
    picked = [with_tables.select_related("year")[index] for index in range(0, min(total, step * REPLY_PAGES), step)]
    return [reply.get_absolute_url() for reply in picked]


def reply_page_latency(port: int, paths: list[str], rounds: int) -> dict:
    """p50/p95 over ``rounds`` passes of the reply pages (after one warm-up pass)."""
    times, statuses = [], set()
    for attempt in range(rounds + 1):
        for path in paths:
            response = live_server.get(port, path)
            statuses.add(response.status)
            if attempt:
                times.append(response.seconds)
    return {**milliseconds(times), "statuses": sorted(statuses), "pages": len(paths)}


def export_figures(database: str) -> dict:
    """Full CSV and XLSX export of every reply: time, size and the server worker's peak RSS (fresh server)."""
    figures = {}
    for extension in ("csv", "xlsx"):
        with serving(database, workers=1) as running:
            baseline = running.peak_rss_mb()
            status, size, seconds = live_server.stream(running.port, f"/replies/export.{extension}")
            figures[extension] = {"status": status, "mb": round(size / 2**20, 1), "seconds": round(seconds, 1),
                                  "peak_rss_mb": round(running.peak_rss_mb(), 1), "rss_before_mb": round(baseline, 1)}
    return figures


def measure(database: str, *, requests: int, load_seconds: float, clients: int, exports: bool) -> dict:
    from django.conf import settings

    from replies.importing.parser import decode_file, parse_file

    with connection.cursor() as cursor:  # choosing the terms and the ILIKE baseline take seconds on purpose; the
        cursor.execute("SET statement_timeout = 0")  # servers measured below keep the web's time limit
    parsed = parse_file(decode_file(Path(settings.BUNDLED_REPLY_FILES[0]).read_bytes()), "bundled")
    source = CorpusSource(parsed.replies, seed=1)
    started = time.perf_counter()
    kinds = choose_kinds(source.questions + source.replies)
    result = {"database": database, "replies": Reply.objects.count(), "sizes": table_sizes(),
              "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "kinds": [kind.as_dict() for kind in kinds], "choose_seconds": round(time.perf_counter() - started, 1)}
    result["ilike"] = {kind.name: index_vs_ilike(kind, repeat=5, ilike_repeat=3) for kind in kinds if "q" in kind.params}
    paths = reply_page_paths()
    connection.close()
    with serving(database, workers=2) as running:
        result["latency"] = page_latency(running.port, kinds, requests)
        result["reply_page"] = reply_page_latency(running.port, paths, rounds=max(1, requests // 10))
    if exports:
        result["exports"] = export_figures(database)
    with serving(database, workers=LOAD_WORKERS) as running:
        result["load"] = under_load(running.port, mixed_paths(kinds), clients=clients, seconds=load_seconds)
    return result


def mixed_paths(kinds: list[QueryKind]) -> list[tuple[str, str]]:
    """Every query kind on the API and the listing, plus plain listings, a second page and the home page."""
    paths = []
    for kind in kinds:
        query = urlencode(kind.params)
        paths += [(kind.name, f"/api/replies/?{query}"), (kind.name, f"/replies/?{query}")]
    return paths + [("page", path) for path in ("/replies/", "/replies/?page=2", "/api/replies/?page=3", "/")]


def under_load(port: int, paths: list[tuple[str, str]], *, clients: int, seconds: float) -> dict:
    """``clients`` threads for ``seconds``: requests/s, errors (non-200 or failed) and latency percentiles."""
    outcomes, elapsed = run_clients(port, paths, clients=clients, seconds=seconds, stagger=3, timeout=120)
    times = [outcome.seconds for outcome in outcomes if outcome.status == 200]
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(outcomes),
            "requests_per_second": round(len(outcomes) / elapsed, 1),
            "errors": sum(outcome.status != 200 for outcome in outcomes), "server_workers": LOAD_WORKERS,
            **milliseconds(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--no-exports", action="store_true")
    arguments = parser.parse_args()
    database = connection.settings_dict["NAME"]
    result = measure(database, requests=arguments.requests, load_seconds=arguments.load_seconds,
                     clients=arguments.clients, exports=not arguments.no_exports)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
