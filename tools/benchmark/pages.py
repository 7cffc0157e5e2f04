"""The pages besides the search (reply, member, head and home pages) and the exports, timed on a running portal.

The pages are chosen by rule, not by hand: reply pages spread over the corpus and reply pages reached from the
results of a term in about 40 % of the corpus (the reply page finds its neighbours within that result, or for a
result that large links to the step pages), those step pages (each finds one neighbour and redirects to it); the
member and head with the most replies and a typical one (the median); the exports of a set of at least 10,000
replies where the corpus has them (a frequent term's result, else the whole corpus).
"""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlencode

from django.db.models import Count

from replies.models import Head, Member, Reply
from tools import live_server
from tools.benchmark.bands import COMPOSED_LENGTHS, LENGTHS
from tools.benchmark.report import RELATED_PAGES, STEP_PAGES
from tools.stats import milliseconds

SPREAD_REPLIES = 10
EXPORT_AT_LEAST = 10_000
EXPORT_FORMATS = ("csv", "xlsx")


def frequent_term(drawing, bands=("40%", "25%", "10%")) -> str | None:
    """A term of the highest band that has one, 3 characters or more where possible."""
    for band in bands:
        cells = [drawing.cells.get(f"{length}/{band}") for length in LENGTHS]
        terms = [cell["term"] for cell in cells if cell]
        if terms:
            return next((term for term in terms if len(term) >= 3), terms[0])
    return None


def spread_reply_paths() -> list[str]:
    replies = Reply.objects.order_by("pk").select_related("year")
    total = replies.count()
    step = max(1, total // SPREAD_REPLIES)
    return [replies[index].get_absolute_url() for index in range(0, min(total, step * SPREAD_REPLIES), step)]


def related_reply_paths() -> list[str]:
    """Reply pages whose related list has the most to rank: replies spread over those that share their first
    subject name with others (the name's other replies are the candidates the page reads and ranks)."""
    named = Reply.objects.exclude(subject_names=[]).order_by("pk").select_related("year")
    total = named.count()
    step = max(1, total // SPREAD_REPLIES)
    return [named[index].get_absolute_url() for index in range(0, min(total, step * SPREAD_REPLIES), step)]


def result_reply_paths(port: int, term: str) -> list[str]:
    """Reply pages reached from the first and the middle page of the term's results (``?q=`` kept)."""
    first = json.loads(live_server.get(port, f"/api/replies/?{urlencode({'q': term})}").body)
    middle_page = max(1, -(-first["count"] // 20) // 2)
    middle = json.loads(live_server.get(port, f"/api/replies/?{urlencode({'q': term, 'page': middle_page})}").body)
    replies = first["results"][:5] + middle["results"][:5]
    return [f"{_path(reply['url'])}?{urlencode({'q': term})}" for reply in replies]


def step_paths(reply_paths: list[str]) -> list[str]:
    """The previous/ and next/ step pages of each reply page (``/replies/Y/S/?q=…``), the query kept."""
    return [f"{path}{direction}/?{query}" for path, query in (reply.split("?", 1) for reply in reply_paths)
            for direction in ("previous", "next")]


def _path(url: str) -> str:
    """The path of an absolute or relative URL."""
    if "://" in url:
        url = "/" + url.split("://", 1)[1].split("/", 1)[1]
    return url


def largest_and_typical(model, related: str) -> list:
    ranked = list(model.objects.annotate(n=Count(related)).order_by("-n", "pk"))
    return [ranked[0], ranked[len(ranked) // 2]] if ranked else []


def page_paths(port: int, drawing) -> dict[str, list[str]]:
    """Each page kind and its paths."""
    paths = {"reply page": spread_reply_paths(), RELATED_PAGES: related_reply_paths(), "home page": ["/"]}
    term = frequent_term(drawing)
    if term:
        paths["reply page from a frequent term"] = result_reply_paths(port, term)
        paths[STEP_PAGES] = step_paths(paths["reply page from a frequent term"])
    paths["member page"] = [f"/members/{member.pk}/" for member in largest_and_typical(Member, "replies")]
    paths["head page"] = [f"/heads/{head.number}/" for head in largest_and_typical(Head, "replies")]
    return paths


def page_latency(port: int, paths: dict[str, list[str]], rounds: int) -> dict:
    """p50/p95/max per page kind over ``rounds`` passes of its paths (after one warm-up pass)."""
    figures = {}
    for kind, kind_paths in paths.items():
        times, statuses = [], set()
        for attempt in range(rounds + 1):
            for path in kind_paths:
                response = live_server.get(port, path)
                statuses.add(response.status)
                if attempt:
                    times.append(response.seconds)
        figures[kind] = {**milliseconds(times), "max_ms": round(max(times, default=0) * 1000, 1),
                         "statuses": sorted(statuses), "paths": kind_paths}
    return figures


def export_set(drawing, total: int) -> tuple[dict, int]:
    """The listing parameters of the exported set and its size: a frequent term with at least EXPORT_AT_LEAST
    hits where there is one, else the whole corpus."""
    for band in ("10%", "25%", "40%"):
        for length in COMPOSED_LENGTHS:
            cell = drawing.cells.get(f"{length}/{band}")
            if cell and cell["hits"] >= EXPORT_AT_LEAST:
                return {"q": cell["term"]}, cell["hits"]
    return {}, total


def timed_stream(port: int, path: str) -> dict:
    """GET a large body without keeping it: status, bytes, time to the first byte and to the last."""
    connection = http.client.HTTPConnection(live_server.HOST, port, timeout=1800)
    try:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        size = len(response.read(1))
        first_byte = time.perf_counter() - started
        while chunk := response.read(1 << 16):
            size += len(chunk)
        return {"status": response.status, "bytes": size, "first_byte_s": round(first_byte, 3),
                "seconds": round(time.perf_counter() - started, 2)}
    finally:
        connection.close()


def export_figures(serving, drawing, total: int) -> dict:
    """Each format of the export set on a fresh one-worker server: first byte, replies/s and peak memory."""
    params, replies = export_set(drawing, total)
    figures = {"params": params, "replies": replies}
    for extension in EXPORT_FORMATS:
        with serving(workers=1) as running:
            baseline = running.peak_rss_mb()
            figure = timed_stream(running.port, f"/replies/export.{extension}?{urlencode(params)}")
            figure.update(mb=round(figure.pop("bytes") / 2**20, 1), rss_before_mb=round(baseline, 1),
                          peak_rss_mb=round(running.peak_rss_mb(), 1),
                          replies_per_second=round(replies / max(figure["seconds"], 1e-6)))
            figures[extension] = figure
    return figures
