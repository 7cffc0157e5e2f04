"""Writes the search columns of replies (the only writer; see docs/SEARCH.md).

For every reply:
  search_text   every searchable field normalised, one per line (the exact-match verification reads it);
  match_vector  the match lexemes of search_text, without positions (GIN candidate filter; nothing is lost
                however long the reply);
  meta_vector   the match lexemes of the A fields (member, question) only: a small vector whose hits are the
                first ranking key, so a hit in the question or by the asking member comes first;
  rank_vector   the jieba words of every field with positions and weights (A member/question, B head,
                programmes, subhead, officers, D reply) for ts_rank;
  has_passages  whether the search_text of a long reply is also cut into Passage rows (text and match lexemes
                of each piece: search/passages.py), where terms are confirmed without reading the whole text.

Only plain model fields are read (no properties), so the historical models of a data migration work too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db import connection, transaction

from replies.querysets import PASSAGE_TABLE
from search import match_lexemes, normalise_for_search, rank_vector_literal, tsvector_literal
from search.common_strings import CommonStrings
from search.passages import passages_of

BATCH_SIZE = 500

_UPDATE = (
    "UPDATE {table} SET search_text = %s, match_vector = %s::tsvector, meta_vector = %s::tsvector, "
    "rank_vector = %s::tsvector WHERE id = %s"
)
_DELETE_PASSAGES = f"DELETE FROM {PASSAGE_TABLE} WHERE reply_id = ANY(%s)"
_INSERT_PASSAGE = (f"INSERT INTO {PASSAGE_TABLE} (reply_id, text, match_vector) "
                   "VALUES (%s, %s, %s::tsvector)")


def weighted_fields(reply) -> list[tuple[str, str]]:
    """(weight, text) of every searchable field of a reply, strongest first (the order positions follow)."""
    programmes = sorted(reply.programmes.all(), key=lambda programme: programme.number)
    subhead = " ".join(part for part in (reply.subhead_code, reply.subhead_title) if part)
    return [
        ("A", reply.member.name),
        ("A", reply.question),
        ("B", reply.head.name),
        *(("B", programme.name) for programme in programmes),
        ("B", subhead),
        ("B", reply.controlling_officer_title),
        ("B", reply.controlling_officer_name),
        ("B", reply.director_of_bureau),
        ("D", reply.reply),
    ]


def search_columns(reply, common: CommonStrings) -> tuple[str, str, str, str]:
    """(search_text, match_vector, meta_vector, rank_vector literals) for one reply.

    Each field is normalised once and serves all four columns (the import's hottest path). The match
    lexemes of the A fields are the meta vector and, with the other fields' lexemes, the match vector: no
    lexeme crosses the newline between fields, so this is exactly ``match_lexemes(search_text)`` plus the
    ``common`` strings the text contains (search/common_strings.py)."""
    normalised = _normalised_fields(reply)
    meta_text = "\n".join(text for weight, text in normalised if weight == "A")
    other_text = "\n".join(text for weight, text in normalised if weight != "A")
    meta_lexemes = match_lexemes(meta_text) | common.found_in(meta_text)
    other_lexemes = match_lexemes(other_text) | common.found_in(other_text)
    return (
        "\n".join(text for _, text in normalised),
        tsvector_literal(meta_lexemes | other_lexemes),
        tsvector_literal(meta_lexemes),
        rank_vector_literal(normalised),
    )


def search_text_of(reply) -> str:
    """The search_text column of one reply (``search_columns``' first column, without the vectors)."""
    return "\n".join(text for _, text in _normalised_fields(reply))


def _normalised_fields(reply) -> list[tuple[str, str]]:
    return [(weight, normalise_for_search(text or "")) for weight, text in weighted_fields(reply)]


def passage_rows(search_text: str) -> list[tuple[str, str]]:
    """(text, match_vector literal) of each passage of a reply's search_text; none for a short reply."""
    return [(text, tsvector_literal(match_lexemes(text))) for text in passages_of(search_text)]


def index_replies(replies, progress: Callable[[int], None] | None = None, common: CommonStrings | None = None) -> int:
    """Recompute the search columns (and passages) of the given replies (a queryset), in batches; returns how
    many. ``progress(done)`` is called after each batch. ``common``: the corpus's common strings (by default
    as stored: replies.common_strings)."""
    if common is None:
        common = stored_common_strings()
    done = 0
    for batch in _batches(replies):
        rows = [(*search_columns(reply, common), reply.pk) for reply in batch]
        table = connection.ops.quote_name(batch[0]._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(_UPDATE.format(table=table), rows)
            if _has_passages_column(batch[0]):
                write_passages(cursor, table, [(row[-1], row[0]) for row in rows])
        done += len(rows)
        if progress:
            progress(done)
    return done


def stored_common_strings() -> CommonStrings:
    """The corpus's common strings as stored (replies.common_strings keeps them)."""
    from replies.models import CommonString  # not at import: a migration's historical models use this module

    return CommonStrings(CommonString.objects.values_list("text", flat=True))


def write_passages(cursor, table: str, searched: list[tuple[int, str]]) -> None:
    """Replace the passages of these (reply id, search_text) and set their has_passages."""
    ids = [pk for pk, _ in searched]
    cursor.execute(_DELETE_PASSAGES, [ids])
    rows = [(pk, *passage) for pk, text in searched for passage in passage_rows(text)]
    cursor.executemany(_INSERT_PASSAGE, rows)
    cursor.execute(f"UPDATE {table} SET has_passages = id = ANY(%s) WHERE id = ANY(%s)",
                   [sorted({row[0] for row in rows}), ids])


def _has_passages_column(reply) -> bool:
    """False for the historical Reply of a migration before 0005 (which fills passages itself)."""
    return any(field.name == "has_passages" for field in reply._meta.concrete_fields)


def _batches(replies) -> Iterator[list]:
    """The replies with what weighted_fields reads, BATCH_SIZE at a time, in primary-key order."""
    ids = list(replies.order_by("pk").values_list("pk", flat=True))
    model = replies.model
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        batch = model._base_manager.filter(pk__in=chunk).select_related("member", "head")
        yield list(batch.prefetch_related("programmes").order_by("pk"))

