"""Build (or reuse) a benchmark corpus in the current default database; called by synth_corpus's child."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.db import connection

from tools.corpus.synth import CorpusSource, synth_replies, year_labels
from replies.importing.bulk import bulk_save
from replies.importing.parser import decode_file, parse_file
from replies.models import CommonString, Head, Member, Programme, Reply, SourceFile, Year

CHUNK = 250
STATS_DIR = settings.BASE_DIR / ".data" / "bench"


def marker_name(replies: int | None, seed: int, real: bool, vocabulary: str = "bureaux") -> str:
    """The SourceFile row that says a corpus is complete (written last)."""
    if real and replies is None:
        return "bench:real"
    return f"bench:replies={replies}:seed={seed}:real={int(real)}:vocabulary={vocabulary}"


def stats_path(database: str) -> Path:
    return STATS_DIR / f"{database}-import.json"


def build_corpus(*, replies, seed, real, vocabulary="bureaux", workers, force, migrate: Callable[[], None], out) -> dict:
    """Reuse a complete corpus with the same parameters, resume an interrupted one, else build it afresh."""
    database = connection.settings_dict["NAME"]
    migrate()
    marker = marker_name(replies, seed, real, vocabulary)
    saved = stats_path(database)
    if not force and SourceFile.objects.filter(name=marker).exists() and saved.is_file():
        out.write(f"{database}: corpus {marker} is complete, reusing it ({Reply.objects.count()} replies)")
        return json.loads(saved.read_text())
    parsed = parse_file(decode_file(Path(settings.BUNDLED_REPLY_FILES[0]).read_bytes()), "bundled")
    total = replies or len(parsed.replies)
    start = _resume_point(marker, force, out, parsed.year if real else year_labels()[-1])
    chunks = (_real_chunks(parsed, start, total) if real
              else _synth_chunks(CorpusSource(parsed.replies, seed, vocabulary), seed, start, total))
    result = bulk_save(chunks, workers=workers, progress=Progress(total, out, start).show, defer_indexes=True)
    SourceFile.objects.filter(name=_building(marker)).delete()
    _marker(marker, Reply.objects.count(), "")
    stats = {
        "database": database, "replies": Reply.objects.count(), "built_now": result.replies,
        "characters": result.characters, "seed": seed, "real": real, "vocabulary": vocabulary, "workers": workers,
        "seconds": round(result.seconds, 2), "replies_per_second": round(result.replies_per_second, 1),
        "characters_per_second": round(result.characters_per_second),
        "index_build_seconds": round(result.index_build_seconds, 2),
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(stats, indent=2))
    out.write(f"{database}: {result.replies} replies in {result.seconds:.1f} s "
              f"({result.replies_per_second:.0f} replies/s, {result.characters_per_second:,.0f} characters/s)")
    return stats


def _building(marker: str) -> str:
    return f"{marker}:building"


def _marker(name: str, count: int, year_label: str) -> None:
    year = Year.objects.order_by("-label").first() or Year.objects.create(label=year_label)
    SourceFile.objects.create(name=name, sha256="", year=year, session=0, bureau="benchmark corpus",
                              serial_prefix="*", reply_count=count)


def _resume_point(marker: str, force: bool, out, year_label: str) -> int:
    """How many replies of an interrupted build of the same corpus are there already (0: start afresh)."""
    if not force and SourceFile.objects.filter(name=_building(marker)).exists():
        done = Reply.objects.count()
        out.write(f"resuming an interrupted build after {done:,} replies")
        return done
    _empty()
    _marker(_building(marker), 0, year_label)
    return 0


def _empty() -> None:
    tables = [model._meta.db_table for model in (Reply.programmes.through, Reply, Programme, Head, Member,
                                                  SourceFile, Year, CommonString)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def _real_chunks(parsed, first: int, total: int) -> Iterator[list]:
    records = [(parsed.year, record) for record in parsed.replies[first:total]]
    for start in range(0, len(records), CHUNK):
        yield records[start : start + CHUNK]


def _synth_chunks(source: CorpusSource, seed: int, first: int, total: int) -> Iterator[list]:
    for start in range(first, total, CHUNK):
        yield synth_replies(source, seed, start, min(start + CHUNK, total), total)


class Progress:
    """Count, rate and time left, rewritten in place; silent when the output is not a terminal."""

    def __init__(self, total: int, out, already: int = 0, every: float = 0.5):
        self.total, self.out, self.every, self.already = total, out, every, already
        self.started = self.shown = time.monotonic()
        self.enabled = sys.stdout.isatty()

    def show(self, done_now: int) -> None:
        now, done = time.monotonic(), self.already + done_now
        if not self.enabled or (now - self.shown < self.every and done < self.total):
            return
        self.shown = now
        rate = done_now / max(now - self.started, 1e-9)
        left = (self.total - done) / rate if rate else 0
        self.out.write(f"\r  {done:,}/{self.total:,} replies  {rate:,.0f}/s  {left:,.0f} s left ", ending="")
        if done >= self.total:
            self.out.write("")
        self.out.flush()
