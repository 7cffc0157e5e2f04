"""Measure one benchmark corpus: sizes, the drawn queries (tools/benchmark/terms.py) through the API and the
listing, search vs ILIKE, the reply, member, head and home pages, exports and load.

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
from tools.benchmark.pages import export_figures, page_latency, page_paths  # noqa: E402
from tools.benchmark.terms import QueryKind, draw_queries  # noqa: E402
from tools.live_server import PortalServer, production_environment  # noqa: E402
from tools.load_clients import run_clients  # noqa: E402
from tools.stats import milliseconds  # noqa: E402

PAGES = {"api": "/api/replies/", "listing": "/replies/"}
# ILIKE below ANDs the positive terms as substrings: it means something else for these
NOT_ILIKE = ("exclusion", "OR", "Latin")
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


def query_latency(port: int, queries: list[QueryKind], repeats: int) -> dict:
    """Each query on each page: one warm-up request then ``repeats`` timed ones (sequential). Per page, each
    query's timings and the API's exact count, in the order of ``queries``."""
    figures: dict = {}
    for page, path in PAGES.items():
        rows = []
        for query in queries:
            url = f"{path}?{urlencode(query.params)}"
            times, statuses, response = [], set(), None
            for attempt in range(repeats + 1):
                response = live_server.get(port, url)
                statuses.add(response.status)
                if attempt:
                    times.append(response.seconds)
            count = json.loads(response.body)["count"] if page == "api" and response.status == 200 else None
            rows.append({"kind": query.name, "params": query.params, "count": count, "statuses": sorted(statuses),
                         **milliseconds(times), "max_ms": round(max(times) * 1000, 1),
                         "times_ms": [round(seconds * 1000, 1) for seconds in times]})
        figures[page] = rows
    return figures


def per_kind(rows: list[dict]) -> dict:
    """p50/p95/max over every timed request of each kind's queries (the worst kind is what the targets judge)."""
    kinds: dict[str, list[float]] = {}
    statuses: dict[str, set] = {}
    for row in rows:
        kinds.setdefault(row["kind"], []).extend(ms / 1000 for ms in row["times_ms"])
        statuses.setdefault(row["kind"], set()).update(row["statuses"])
    return {kind: {**milliseconds(times), "max_ms": round(max(times) * 1000, 1), "queries":
                   sum(row["kind"] == kind for row in rows), "statuses": sorted(statuses[kind])}
            for kind, times in kinds.items()}


def slowest(latency: dict, how_many: int = 10) -> list[dict]:
    """The slowest queries by median, either page, with their parameters and hits."""
    counts = {json.dumps(row["params"], sort_keys=True): row["count"] for row in latency["api"]}
    rows = [{"page": page, "kind": row["kind"], "params": row["params"], "p50_ms": row["p50_ms"],
             "max_ms": row["max_ms"], "hits": counts.get(json.dumps(row["params"], sort_keys=True))}
            for page, page_rows in latency.items() for row in page_rows]
    return sorted(rows, key=lambda row: -row["p50_ms"])[:how_many]


def measure(database: str, *, repeats: int, load_seconds: float, clients: int, exports: bool, seed: int) -> dict:
    with connection.cursor() as cursor:  # counting the drawn terms and the ILIKE baseline take seconds on purpose;
        cursor.execute("SET statement_timeout = 0")  # the servers measured below keep the web's time limit
    drawing = draw_queries(seed)
    queries = drawing.queries
    result = {"database": database, "replies": Reply.objects.count(), "sizes": table_sizes(),
              "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "drawing": drawing.as_dict(),
              "queries": [query.as_dict() for query in queries], "choose_seconds": drawing.seconds}
    result["ilike"] = {query.name: {**index_vs_ilike(query, repeat=3, ilike_repeat=2), "params": query.params}
                       for query in first_of_each_kind(queries) if query.name not in NOT_ILIKE}
    connection.close()
    started = time.perf_counter()
    with serving(database, workers=2) as running:
        latency = query_latency(running.port, queries, repeats)
        result["pages"] = page_latency(running.port, page_paths(running.port, drawing), rounds=repeats)
    result["latency"] = {page: per_kind(rows) for page, rows in latency.items()}
    result["slowest"], result["query_rows"] = slowest(latency), latency
    result["measure_seconds"] = round(time.perf_counter() - started, 1)
    if exports:
        result["exports"] = export_figures(lambda workers: serving(database, workers), drawing, result["replies"])
    with serving(database, workers=LOAD_WORKERS) as running:
        result["load"] = under_load(running.port, mixed_paths(first_of_each_kind(queries)), clients=clients,
                                    seconds=load_seconds)
    return result


def first_of_each_kind(queries: list[QueryKind]) -> list[QueryKind]:
    """One query per kind, without filters where the kind has one: the ILIKE comparison and the load mix."""
    chosen: dict[str, QueryKind] = {}
    for query in queries:
        if query.name not in chosen or (len(chosen[query.name].params) > 1 and len(query.params) == 1):
            chosen[query.name] = query
    return list(chosen.values())


def mixed_paths(kinds: list[QueryKind]) -> list[tuple[str, str]]:
    """Every query kind on the API and the listing, plus plain listings, a second page and the home page."""
    paths = []
    for kind in kinds:
        query = urlencode(kind.params)
        paths += [(kind.name, f"/api/replies/?{query}"), (kind.name, f"/replies/?{query}")]
    return paths + [("page", path) for path in ("/replies/", "/replies/?page=2", "/api/replies/?page=2", "/")]


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
    parser.add_argument("--repeats", type=int, default=5, help="timed requests per query and page (after one more)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the query drawing")
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--no-exports", action="store_true")
    arguments = parser.parse_args()
    database = connection.settings_dict["NAME"]
    result = measure(database, repeats=arguments.repeats, load_seconds=arguments.load_seconds,
                     clients=arguments.clients, exports=not arguments.no_exports, seed=arguments.seed)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
