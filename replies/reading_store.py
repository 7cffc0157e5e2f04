"""The reading columns (replies/reading/fields.py) in the database: filled at import, by reindex and by the
migration that added them; and the related replies of a reply page, read from the subject names' GIN index."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Q

from replies.common_strings import sample_ids
from replies.listing_vocabulary import ANY_NOT_PROVIDED, NOT_PROVIDED_KINDS
from replies.reading.fields import READING_COLUMNS, keyword_text, reading_columns
from replies.reading.related import related
from replies.reading.subject import KeywordWeights

BATCH_SIZE = 500
RELATED_CANDIDATES = 400  # replies read per page view to rank the related ones: newest first among those sharing a name
COMMON_NAME_SHARE = 0.05  # a name in more of the replies than this relates nothing on its own (related.py)
RELATED_NAME_MAX = 200  # nor one in more replies than this: at most this many are read per name (related_replies)
ESTIMATED_FROM = 10_000  # replies from which the planner's estimate of their number serves (_name_counts)


def corpus_weights(replies, extra_texts: Iterable[str] = ()) -> KeywordWeights:
    """Keyword weights over a sample of ``replies`` (spread over their ids, as the common strings are drawn) and
    ``extra_texts`` (replies being imported that are not stored yet)."""
    rows = replies.filter(pk__in=sample_ids(replies)).values_list("question", "reply")
    return KeywordWeights.from_texts([*(keyword_text(*row) for row in rows.iterator()), *extra_texts])


def refresh_reading(replies, weights: KeywordWeights) -> int:
    """Recompute the reading columns of ``replies`` (a queryset; a historical model's works too); returns how
    many."""
    done, batch = 0, []
    model = replies.model
    for reply in replies.order_by("pk").only("id", "question", "reply").iterator(chunk_size=2000):
        for name, value in reading_columns(reply.question, reply.reply, weights).items():
            setattr(reply, name, value)
        batch.append(reply)
        if len(batch) >= BATCH_SIZE:
            done += _save(model, batch)
            batch = []
    return done + _save(model, batch)


def _save(model, batch: list) -> int:
    model.objects.bulk_update(batch, READING_COLUMNS)
    return len(batch)


def related_replies(reply) -> list[tuple]:
    """Up to five (other reply, the names it shares) on the same specific subject as ``reply``, best first; none
    when nobody else asked about its subject. Only names in at most RELATED_NAME_MAX replies (and COMMON_NAME_SHARE
    of them) are read: a name in a third of 200,000 replies, or in thousands, must not be read whole, and is too
    common to relate replies on its own anyway (it still counts, as that common, beside a rarer shared name)."""
    from replies.models import Reply  # not at import: the migration that fills the columns imports this module

    names = list(reply.subject_names)
    if not names:
        return []
    total, counts = _name_counts(Reply, names)
    specific = [name for name in names if counts[name] < _cap(total)]
    if not specific:
        return []
    common = int(COMMON_NAME_SHARE * total) + 1
    weighed = {name: count if name in specific else max(count, common) for name, count in counts.items()}
    ranked = related(names, _candidates(Reply, specific, reply.pk), weighed, total)
    found = Reply.objects.select_related("year", "member").in_bulk([pk for pk, _ in ranked])
    return [(found[pk], shared) for pk, shared in ranked if pk in found]


def _cap(total: int) -> int:
    """A name in this many replies or more is not read for related replies."""
    return min(int(COMMON_NAME_SHARE * total), RELATED_NAME_MAX) + 1


def _name_counts(model, names: list[str]) -> tuple[int, dict[str, int]]:
    """The number of replies and in how many of them each name is, counted only up to ``_cap`` of them, in one
    statement. The number of replies is the planner's estimate in a large table (it only sets how common a name
    must be to relate nothing), counted in a small one, whose estimate may not exist yet."""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = (f"WITH total AS (SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint "
           f"ELSE (SELECT count(*) FROM {table}) END AS n FROM pg_class AS c WHERE c.oid = %s::regclass) "
           f"SELECT name, (SELECT count(*) FROM (SELECT 1 FROM {table} AS r WHERE r.subject_names @> ARRAY[name] "
           f"LIMIT (SELECT least(floor(n * %s)::bigint, %s) + 1 FROM total)) AS hits), (SELECT n FROM total) "
           f"FROM unnest(%s::varchar[]) AS name")
    with connection.cursor() as cursor:
        cursor.execute(sql, [ESTIMATED_FROM, model._meta.db_table, COMMON_NAME_SHARE, RELATED_NAME_MAX, names])
        rows = cursor.fetchall()
    return rows[0][2], {name: count for name, count, _ in rows}


def _candidates(model, names: list[str], own_id: int) -> list[tuple[int, list[str]]]:
    """The newest RELATED_CANDIDATES other replies that share one of ``names``, with their subject names."""
    rows = (model.objects.filter(subject_names__overlap=names).exclude(pk=own_id)
            .order_by("-pk").values_list("pk", "subject_names")[:RELATED_CANDIDATES])
    return [(pk, list(found)) for pk, found in rows]


def not_provided_counts(replies) -> dict:
    """How many of ``replies`` did not provide information, by kind and in all ("any"): one aggregate."""
    counted = {kind: Count("pk", filter=Q(not_provided_kinds__contains=[kind])) for kind in NOT_PROVIDED_KINDS}
    counts = replies.order_by().aggregate(**counted, **{ANY_NOT_PROVIDED: Count("pk", filter=~Q(not_provided_kinds=[]))})
    return {"any": counts.pop(ANY_NOT_PROVIDED), "kinds": [(kind, NOT_PROVIDED_KINDS[kind], count)
                                                         for kind, count in counts.items() if count]}
