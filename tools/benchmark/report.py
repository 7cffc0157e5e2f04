"""docs/BENCHMARKS.md and docs/bench-latency.svg from the per-corpus results of one run.

Everything above the NOTES_MARKER line is regenerated from the results; what follows it is written by hand and
kept: the conditions of the run, what the figures say and why the design is as it is (current facts, no diary).
"""

from __future__ import annotations

import platform
from pathlib import Path

from tools.benchmark.chart import line_chart

NOTES_MARKER = "<!-- notes: everything below is kept when the benchmark rewrites this file -->"
FAST_KINDS = ("rare term", "mid term", "two terms", "phrase", "Simplified", "member + query", "head + programme")
TARGETS = {"api": 50, "listing": 100, "common": 200, "reply_page": 100}


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    cores = Path("/proc/cpuinfo").read_text().count("processor\t:")
    memory_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                         if line.startswith("MemTotal")))
    return [f"{cpu}, {cores} cores", f"{memory_kb / 2**20:.0f} GB memory", f"Python {platform.python_version()}",
            platform.platform()]


def _row(cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _table(header: list[str], rows: list[list]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(row) for row in rows), ""]


def _label(result: dict) -> str:
    return f"{result['replies']:,}"


def import_table(results: list[dict]) -> list[str]:
    rows = []
    for result in results:
        built = result.get("import", {})
        sizes = result["sizes"]
        rows.append([_label(result), built.get("seconds", "?"), built.get("replies_per_second", "?"),
                     f"{built.get('characters_per_second', 0):,}", built.get("index_build_seconds", "?"),
                     built.get("workers", "?"), sizes["table_mb"], sizes.get("heap_mb", "?"), sizes["indexes_mb"],
                     sizes["index_mb"].get("reply_match_vector_gin", "?"),
                     sizes["index_mb"].get("reply_meta_vector_gin", "?"), sizes.get("passage_table_mb", "?"),
                     sizes["index_mb"].get("passage_match_vector_gin", "?")])
    return _table(["replies", "build s", "replies/s", "characters/s", "GIN build s", "processes", "table MB",
                   "heap MB", "indexes MB", "match GIN MB", "meta GIN MB", "passages MB", "passage GIN MB"], rows)


def terms_table(results: list[dict]) -> list[str]:
    kinds = [kind["name"] for kind in results[0]["kinds"]]
    rows = []
    for name in kinds:
        cells = [name]
        for result in results:
            kind = next(k for k in result["kinds"] if k["name"] == name)
            params = ", ".join(f"{key}={value}" for key, value in kind["params"].items())
            cells.append(f"`{params}` ({kind['hits']:,})")
        rows.append(cells)
    return _table(["kind", *(f"{_label(r)} replies: query (hits)" for r in results)], rows)


def latency_table(results: list[dict], page: str) -> list[str]:
    rows = []
    for kind in (k["name"] for k in results[0]["kinds"]):
        cells = [kind]
        for result in results:
            figure = result["latency"][page][kind]
            status = "" if figure["statuses"] == [200] else f" (status {figure['statuses']})"
            cells.append(f"{figure['p50_ms']} / {figure['p95_ms']}{status}")
        rows.append(cells)
    return _table(["kind", *(f"{_label(r)}: p50 / p95 ms" for r in results)], rows)


def ilike_table(results: list[dict]) -> list[str]:
    rows = []
    for kind in results[0]["ilike"]:
        cells = [kind]
        for result in results:
            figure = result["ilike"][kind]
            same = "" if figure["same_count"] else f" **counts differ {figure['index_count']} ≠ {figure['ilike_count']}**"
            cells.append(f"{figure['index_ms']} / {figure['ilike_ms']} = **{figure['ratio']}×**{same}")
        rows.append(cells)
    return _table(["kind", *(f"{_label(r)}: index / ILIKE ms = ratio" for r in results)], rows)


def reply_page_table(results: list[dict]) -> list[str]:
    rows = [[_label(r), r["reply_page"]["pages"], r["reply_page"]["p50_ms"], r["reply_page"]["p95_ms"],
             r["reply_page"]["statuses"]] for r in results if "reply_page" in r]
    return _table(["replies", "pages (replies with tables)", "p50 ms", "p95 ms", "statuses"], rows)


def exports_table(results: list[dict]) -> list[str]:
    rows = []
    for result in results:
        for extension, figure in result.get("exports", {}).items():
            rows.append([_label(result), extension, figure["status"], figure["mb"], figure["seconds"],
                         figure["rss_before_mb"], figure["peak_rss_mb"]])
    return _table(["replies", "format", "status", "size MB", "seconds", "worker RSS before MB", "worker peak RSS MB"],
                  rows)


def load_table(results: list[dict]) -> list[str]:
    rows = [[_label(r), r["load"]["clients"], r["load"]["server_workers"], r["load"]["seconds"], r["load"]["requests"],
             r["load"]["requests_per_second"], r["load"]["errors"], r["load"]["p50_ms"], r["load"]["p95_ms"]]
            for r in results]
    return _table(["replies", "clients", "gunicorn workers", "seconds", "requests", "requests/s", "errors",
                   "p50 ms", "p95 ms"], rows)


def target_lines(result: dict) -> list[str]:
    """Each target at the largest corpus, met or missed, with the figure."""
    api, listing = result["latency"]["api"], result["latency"]["listing"]
    checks = [(f"API p95 ≤ {TARGETS['api']} ms: {kind}", api[kind]["p95_ms"], api[kind]["p95_ms"] <= TARGETS["api"])
              for kind in FAST_KINDS]
    checks += [(f"listing p95 ≤ {TARGETS['listing']} ms: {kind}", listing[kind]["p95_ms"],
                listing[kind]["p95_ms"] <= TARGETS["listing"]) for kind in FAST_KINDS]
    checks += [(f"common term p95 ≤ {TARGETS['common']} ms ({page})", result["latency"][page]["common term"]["p95_ms"],
                result["latency"][page]["common term"]["p95_ms"] <= TARGETS["common"]) for page in ("api", "listing")]
    if "reply_page" in result:
        p95 = result["reply_page"]["p95_ms"]
        checks.append((f"reply page p95 ≤ {TARGETS['reply_page']} ms (replies with tables)", p95,
                       p95 <= TARGETS["reply_page"] and result["reply_page"]["statuses"] == [200]))
    for kind, wanted in (("rare term", 100), ("mid term", 100), ("common term", 10)):
        ratio = result["ilike"][kind]["ratio"]
        checks.append((f"{kind} ≥ {wanted}× faster than ILIKE", f"{ratio}×", ratio >= wanted))
    rate = result.get("import", {}).get("replies_per_second", 0)
    checks.append(("import and index ≥ 400 replies/s", rate, rate >= 400))
    for extension, figure in result.get("exports", {}).items():
        if figure["status"] != 200:
            checks.append((f"{extension} export: refused with status {figure['status']}, not measured", "-", False))
            continue
        checks.append((f"{extension} export peak RSS < 300 MB", figure["peak_rss_mb"], figure["peak_rss_mb"] < 300))
    checks.append(("zero errors under load", result["load"]["errors"], result["load"]["errors"] == 0))
    return [f"- {'met' if ok else '**missed**'}: {name}: {figure}" for name, figure, ok in checks] + [""]


def chart(results: list[dict]) -> str:
    xs = [result["replies"] for result in results]
    series = {f"{kind} (API)": [r["latency"]["api"][kind]["p95_ms"] for r in results]
              for kind in (k["name"] for k in results[0]["kinds"])}
    series["common term (listing)"] = [r["latency"]["listing"]["common term"]["p95_ms"] for r in results]
    return line_chart("p95 latency as the corpus grows", "replies in the corpus (log)", "p95 ms (log)", xs, series,
                      limits={"API target 50 ms": 50, "common target 200 ms": 200})


def write(results: list[dict], *, date: str, postgres: str, command: str, docs: Path) -> None:
    """Rewrite docs/BENCHMARKS.md (keeping its notes) and the chart."""
    (docs / "bench-latency.svg").write_text(chart(results))
    path = docs / "BENCHMARKS.md"
    notes = path.read_text().split(NOTES_MARKER, 1)[1] if path.is_file() and NOTES_MARKER in path.read_text() else "\n"
    taken = ", ".join(f"{_label(r)} replies at {r.get('measured_at', date)}" for r in results)
    lines = ["# Benchmarks", "", f"Written {date} by `{command}`; measured: {taken}.", "",
             "## Machine", "", *(f"- {line}" for line in machine()), f"- {postgres}", "",
             f"## Targets at {results[-1]['replies']:,} replies", "", *target_lines(results[-1]),
             "## Latency as the corpus grows", "", "![p95 latency](bench-latency.svg)", "",
             "### `/api/replies/` (relevance order, exact count)", "", *latency_table(results, "api"),
             "### `/replies/` listing (relevance order, count, facets, snippets)", "",
             *latency_table(results, "listing"),
             "### Reply pages (`/replies/<year>/<serial>/`, replies with tables, tables laid out)", "",
             *reply_page_table(results),
             "## The queries, chosen by their document frequency in each corpus", "", *terms_table(results),
             "## Search against `ILIKE '%…%'` over the cleaned text (same database, same run)", "",
             "Both sides return the count and the first 20 ids (search by relevance, ILIKE in serial order); "
             "median of 5 (search) and 3 (ILIKE) runs in one Django process. The counts are compared: they must "
             "be equal (exactness check).", "", *ilike_table(results),
             "## Import, index and sizes", "", *import_table(results),
             "Table MB is the reply table with its TOAST, heap MB its rows alone, indexes MB all its indexes; "
             "passages MB is the passage table of long replies with its TOAST (its GIN index is the last column).",
             "",
             "## Full exports (fresh one-worker gunicorn each, peak = the worker's VmHWM)", "",
             *exports_table(results),
             "## Under load (gunicorn on 127.0.0.1, mixed searches and pages)", "", *load_table(results),
             "The hardening load test (32 clients for 60 s on the portal's own database, and a PostgreSQL outage in "
             "the middle of a run) has its own figures, p50/p95/p99 per kind: [LOADTEST.md](LOADTEST.md).", "",
             "## How to reproduce", "", "```sh", "make bench            # builds bench_real, bench_20000 and "
             "bench_200000 once (reused afterwards), measures, rewrites this file",
             "python manage.py synth_corpus --replies 20000 --seed 1   # one corpus (database bench_20000)",
             "PORTAL_DATABASE=bench_20000 .venv/bin/python -m tools.benchmark.measure --out r.json  # one corpus",
             "```", "", NOTES_MARKER]
    path.write_text("\n".join(lines) + notes)
