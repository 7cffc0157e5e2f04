"""Bulk save: many new replies fast (benchmark corpora, first loads of whole archives).

save.py upserts reply by reply, which is right for a corrected session file but slow for 200,000 replies.
Here worker processes compute the search columns (jieba and the lexemes are CPU-bound, so this is what uses
every core) while the main process writes finished chunks with COPY. Only new (year, serial) keys are accepted;
GIN indexes of an empty table are dropped during the load and rebuilt once at the end (much faster than
growing them row by row; the longest build on a connection of its own, the others side by side with it), and
an interrupted load can be resumed: chunks commit one by one, in order.
"""

from __future__ import annotations

import collections
import itertools
import json
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.postgres.indexes import GinIndex
from django.db import connection, connections, transaction

from replies.importing.records import ReplyRecord
from replies.importing.save import _Lookups
from replies.models import CommonString, Passage, Reply, Year
from replies import aliases, common_strings
from replies.reading.fields import keyword_text, reading_columns
from replies.reading.keywords import KeywordWeights, candidate_terms
from replies.reading_store import corpus_weights
from replies.search_index import passage_rows, search_columns, search_text_of, stored_common_strings
from replies.tables import tables_of
from search.common_strings import CommonStrings
from search.segment import load_dictionary

# Memory for each GIN build (session level). Small on purpose: the build collects entries in a tree of this size
# and merges it into the index whenever it fills; a tree that fits the CPU's cache is merged often but built far
# faster, so the build takes about a third less CPU than with 1 GB, where the tree grows past every cache.
INDEX_BUILD_MEMORY = "32MB"

# The columns search_index.search_columns returns, in its order.
SEARCH_COLUMNS = ("search_text", "match_vector", "meta_vector", "rank_vector")

YearRecord = tuple[str, ReplyRecord]  # (year label, parsed or synthetic reply)


@dataclass
class BulkStats:
    replies: int = 0
    characters: int = 0  # question + reply text saved
    seconds: float = 0.0
    index_build_seconds: float = 0.0

    @property
    def replies_per_second(self) -> float:
        return self.replies / self.seconds if self.seconds else 0.0

    @property
    def characters_per_second(self) -> float:
        return self.characters / self.seconds if self.seconds else 0.0


def bulk_save(
    chunks: Iterable[list[YearRecord]],
    *,
    workers: int,
    progress: Callable[[int], None] | None = None,
    defer_indexes: bool = False,
) -> BulkStats:
    """Insert the replies of every chunk (none may exist yet); returns counts and timings.

    ``defer_indexes`` drops the GIN indexes for the load and builds them once at the end (also after a failure),
    much faster for a large load into a table nobody searches meanwhile."""
    stats = BulkStats()
    started = time.perf_counter()
    if defer_indexes:
        _drop_gin_indexes()
    try:
        lookups = _YearLookups()
        load_dictionary()  # once, before forking: the workers share it instead of each loading it
        chunks, draw = _corpus_draw(chunks, workers)
        connections.close_all()  # forked workers must not share the parent's socket
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_use_draw, initargs=(draw,)) as pool:
            for chunk, columns in _indexed(pool, chunks, depth=2 * workers):
                _copy_chunk(chunk, columns, lookups)
                aliases.mine(text for _, record in chunk for text in (record.question, record.reply))
                stats.replies += len(chunk)
                stats.characters += sum(len(record.question) + len(record.reply) for _, record in chunk)
                if progress:
                    progress(stats.replies)
    finally:
        index_started = time.perf_counter()
        vacuumed = _create_missing_gin_indexes(threads=workers)
        stats.index_build_seconds = time.perf_counter() - index_started
    _vacuum([model for model in (Reply, Passage) if model not in vacuumed])
    stats.seconds = time.perf_counter() - started
    return stats


def _vacuum(models: Iterable[type]) -> None:
    """VACUUM, not only ANALYZE: it marks the loaded pages all-visible, so a count or a bitmap scan that needs no
    column of the row (a common string's replies, counted) is answered from the GIN index alone."""
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    if tables:
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"  # VACUUM cannot run in one
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {tables}")


def _indexed(pool: ProcessPoolExecutor, chunks: Iterable[list[YearRecord]], depth: int) -> Iterator:
    """(chunk, its search columns) in order, with at most ``depth`` chunks in flight (bounded memory)."""
    pending: collections.deque[tuple[list[YearRecord], Future]] = collections.deque()
    for chunk in chunks:
        pending.append((chunk, pool.submit(columns_of_chunk, chunk)))
        if len(pending) >= depth:
            chunk, future = pending.popleft()
            yield chunk, future.result()
    while pending:
        chunk, future = pending.popleft()
        yield chunk, future.result()


def _corpus_draw(chunks: Iterable[list[YearRecord]], workers: int) -> tuple[Iterable[list[YearRecord]], CorpusDraw]:
    """The chunks (as given) and what every worker needs of the whole corpus: the common strings and the keyword
    weights. As stored (or drawn from the stored replies), or, for a load into an empty table, drawn afresh from
    its first replies (no reply exists that could lack a string, nor carry an older set's)."""
    if Reply.objects.exists():
        return chunks, CorpusDraw(stored_common_strings(), corpus_weights(Reply.objects.all()))
    CommonString.objects.all().delete()
    chunks = iter(chunks)
    head: list[list[YearRecord]] = []
    while sum(map(len, head)) < common_strings.SAMPLE_SIZE and (chunk := next(chunks, None)) is not None:
        head.append(chunk)
    texts, terms = _draw_inputs(head, workers)
    common = CommonStrings(common_strings.add(common_strings.draw(texts)))
    return itertools.chain(head, chunks), CorpusDraw(common, KeywordWeights.from_terms(terms))


def _draw_inputs(head: list[list[YearRecord]], workers: int) -> tuple[list[str], list[set[str]]]:
    """The search texts and keyword candidate terms of the first replies, computed by worker processes: the
    load's own workers cannot start before the draw, so the draw uses every core too."""
    connections.close_all()  # forked workers must not share the parent's socket
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        inputs = list(pool.map(_draw_inputs_of_chunk, head))
    return [text for texts, _ in inputs for text in texts], [terms for _, chunk_terms in inputs for terms in chunk_terms]


def _draw_inputs_of_chunk(chunk: list[YearRecord]) -> tuple[list[str], list[set[str]]]:
    records = [record for _, record in chunk]
    return ([search_text_of(_record_view(record)) for record in records],
            [candidate_terms(keyword_text(record.question, record.reply)) for record in records])


@dataclass(frozen=True)
class CorpusDraw:
    common: CommonStrings
    weights: KeywordWeights


_worker_draw = CorpusDraw(CommonStrings(()), KeywordWeights.from_texts([]))  # set in each worker by _use_draw


def _use_draw(draw: CorpusDraw) -> None:
    global _worker_draw
    _worker_draw = draw


def columns_of_chunk(chunk: list[YearRecord]) -> list[tuple[tuple[str, ...], list[tuple[str, str]], str, dict]]:
    """Search columns, passage rows, tables (as JSON text) and reading columns of every record (runs in a worker
    process: pure, no database)."""
    searched = [search_columns(_record_view(record), _worker_draw.common) for _, record in chunk]
    text_column = SEARCH_COLUMNS.index("search_text")
    tables = [json.dumps(tables_of(record.question, record.reply), ensure_ascii=False) for _, record in chunk]
    reading = [_reading_row(record) for _, record in chunk]
    return [(columns, passage_rows(columns[text_column]), table, read)
            for columns, table, read in zip(searched, tables, reading)]


def _reading_row(record: ReplyRecord) -> dict:
    """The reading columns of a record as COPY writes them (the JSON one as JSON text)."""
    row = reading_columns(record.question, record.reply, _worker_draw.weights)
    return {**row, "not_provided": json.dumps(row["not_provided"], ensure_ascii=False)}


def _record_view(record: ReplyRecord) -> SimpleNamespace:
    """What search_index.weighted_fields reads from a Reply, taken from a record without the database."""
    programmes = list(record.programmes)
    return SimpleNamespace(
        member=SimpleNamespace(name=record.member),
        head=SimpleNamespace(name=record.head_name),
        programmes=SimpleNamespace(all=lambda: programmes),
        **_text_fields(record),
    )


def _text_fields(record: ReplyRecord) -> dict[str, str]:
    """The Reply fields copied from a record as they are."""
    names = ("subhead_code", "subhead_title", "controlling_officer_title", "controlling_officer_name",
             "director_of_bureau", "question", "reply")
    return {name: getattr(record, name) for name in names}


class _YearLookups(_Lookups):
    """The import's member/head/programme caches, plus years."""

    def __init__(self) -> None:
        super().__init__()
        self.years: dict[str, Year] = {}

    def year(self, label: str) -> Year:
        if label not in self.years:
            self.years[label], _ = Year.objects.get_or_create(label=label)
        return self.years[label]


def _copy_chunk(chunk: list[YearRecord], columns: list, lookups: _YearLookups) -> None:
    """One transaction: COPY the replies (ids taken from the sequence first), then their programmes and
    passages."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [Reply._meta.db_table, len(chunk)])
        ids = [row[0] for row in cursor.fetchall()]
        replies, links, passages = [], [], []
        for pk, (label, record), (search, passage_texts, tables, reading) in zip(ids, chunk, columns):
            reply = _reply(pk, lookups.year(label), record, lookups)
            for name, value in [*zip(SEARCH_COLUMNS, search), *reading.items()]:
                setattr(reply, name, value)
            reply.tables = tables  # JSON text: COPY writes it as it is
            reply.has_passages = bool(passage_texts)
            replies.append(reply)
            links += [(pk, lookups.programme(reply.head, ref).pk) for ref in record.programmes]
            passages += [(pk, *passage) for passage in passage_texts]
        fields = Reply._meta.concrete_fields
        _copy_rows(cursor, Reply._meta.db_table, [f.column for f in fields],
                   ([getattr(reply, f.attname) for f in fields] for reply in replies))
        _copy_rows(cursor, Reply.programmes.through._meta.db_table, ["reply_id", "programme_id"], links)
        _copy_rows(cursor, Passage._meta.db_table, ["reply_id", "text", "match_vector"], passages)


def _reply(pk: int, year: Year, record: ReplyRecord, lookups: _Lookups) -> Reply:
    return Reply(
        pk=pk,
        year=year,
        serial=record.serial,
        question_serial=record.question_serial,
        member=lookups.member(record.member),
        legco_reference=record.legco_reference,
        head=lookups.head(record.head_number, record.head_name),
        source_file=record.source_file,
        source_page=record.source_page,
        **_text_fields(record),
    )


def _copy_rows(cursor, table: str, columns: list[str], rows: Iterable) -> None:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _gin_indexes() -> list[tuple[type, GinIndex]]:
    """(model, index) of every GIN index of the replies' and passages' tables."""
    return [(model, index) for model in (Reply, Passage) for index in model._meta.indexes
            if isinstance(index, GinIndex)]


def _existing_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s)",
                       [[Reply._meta.db_table, Passage._meta.db_table]])
        return {name for (name,) in cursor.fetchall()}


def _drop_gin_indexes() -> None:
    """Drop the GIN indexes (as declared on the models) for a bulk load."""
    with connection.cursor() as cursor:
        for _, index in _gin_indexes():
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(index.name)}")


def _create_missing_gin_indexes(threads: int = 2) -> set[type]:
    """Build the declared GIN indexes that are missing (dropped by this load or by an interrupted one); returns
    the models whose tables were also vacuumed meanwhile.

    PostgreSQL builds a GIN index in one process, and the replies' match-vector index takes most of the time.
    So it starts first, on a connection of its own (not inside a transaction, whose rows other connections could
    not see), and keeps a core to itself: the other indexes are built one after the other on the other
    connection(s), which then VACUUM the passages (a VACUUM of the replies' table would wait for its builds)."""
    existing = _existing_indexes()
    missing = sorted(((model, index) for model, index in _gin_indexes() if index.name not in existing),
                     key=_build_order)
    if len(missing) < 2 or threads < 2 or connection.in_atomic_block:
        for model, index in missing:
            _create_index(model, index)
        return set()
    with ThreadPoolExecutor(min(threads, len(missing))) as pool:
        futures = [pool.submit(_on_own_connection, _create_index, *missing_index) for missing_index in missing]
        futures.append(pool.submit(_on_own_connection, _vacuum, [Passage]))
        for future in futures:
            future.result()
    return {Passage}


def _build_order(model_index: tuple[type, GinIndex]) -> int:
    """The longest build first: the replies' match vectors have the most entries, then the passages'."""
    model, index = model_index
    longest = [(Reply, ["match_vector"]), (Passage, ["match_vector"])]
    key = (model, list(index.fields))
    return longest.index(key) if key in longest else len(longest)


def _on_own_connection(function: Callable, *args) -> None:
    """Run ``function`` in a thread of the index builds, closing the thread's connection after."""
    try:
        function(*args)
    finally:
        connection.close()  # this thread's connection


def _create_index(model, index) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
    with connection.schema_editor() as editor:
        editor.add_index(model, index)
