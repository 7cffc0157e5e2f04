"""ReplySearch: everything one request's search of the replies knows, made once and read by whoever needs it.

The listing, the API, the exports, the feed, the facets and a reply page's previous/next all read the same
search: its parsed query, its replies in order, the ids a query that reads texts was pinned to, its count once
known, whether its first page can come from the top relevance tier, and the page asked for. Querysets stay plain
querysets: what a shortcut needs is passed to ReplyQuerySet's methods as arguments, never hung on a queryset.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import connections
from django.db.models import F, Q

from replies.listing_vocabulary import ORDERINGS, RELEVANCE
from replies.models import Reply
from replies.querysets import (PINNED_LIMIT, ReplyQuerySet, prepared, ranks_every_match, sql_of,
                               top_tier_from_indexes)
from search import Query

# Up to this many matches a reply page reached from a search links its previous and next reply itself; above it
# it links to two small pages that find them when followed (views.reply_step). Why: finding them reads every
# match's keys in a relevance order, and in a field order walks an index testing the search on each reply it
# passes; for a term in 40 % of 200,000 replies either costs several times a reply page (docs/BENCHMARKS.md).
INLINE_NEIGHBOURS_LIMIT = 2_000


@dataclass(frozen=True)
class ReplySearch:
    query: Query | None  # the parsed q; None without one
    replies: ReplyQuerySet  # every reply of the search, in its order, with what a listing shows
    unsearched: ReplyQuerySet  # the replies of every filter but q (the top tier is read from them)
    pinned_ids: tuple[int, ...] | None = None  # the matches, when a query that reads texts was pinned to them
    counted: int | None = None  # the count, when a pass over the matches has counted them (the listing's facets)
    page_number: str | int | None = None  # as given; None for the first page
    pinned_in_coarse_order: bool = False  # pinned_ids are in the coarse relevance order (tier, then newest first)

    @classmethod
    def from_filterset(cls, filterset, page_number: str | int | None = None) -> "ReplySearch":
        """The search of a valid ReplyFilter: its filters, q last, its matches pinned by id when that pays."""
        query, unsearched = filterset.search_query, filterset.unsearched
        if query is not None:
            query = prepared(query, unsearched)
        matched, pinned_ids, in_coarse_order = unsearched, None, False
        if query is not None:
            matched = unsearched.search(query)
            in_coarse_order = (query.reads_text and by_relevance(filterset.ordering_key, query)
                               and matched.tier_is_cheap(query))
            pinned_ids = matched.ids_to_pin(query, in_coarse_order=in_coarse_order)
            if pinned_ids is not None:
                matched = Reply.objects.pinned_to(pinned_ids, query)
                pinned_ids = tuple(pinned_ids)
        replies = ordered(matched, filterset.ordering_key, query).with_related()
        return cls(query, replies, unsearched, pinned_ids, page_number=page_number,
                   pinned_in_coarse_order=in_coarse_order and pinned_ids is not None)

    def with_count(self, count: int) -> "ReplySearch":
        """The same search, its count known (the listing's facets count its matches in their one pass)."""
        return replace(self, counted=count)

    @property
    def known_count(self) -> int | None:
        """The count without a COUNT statement: as counted, or the number of pinned ids; else None."""
        if self.counted is not None:
            return self.counted
        return None if self.pinned_ids is None else len(self.pinned_ids)

    @property
    def orders_by_relevance(self) -> bool:
        return self.replies.orders_by_relevance

    def replies_for_count(self, count: int) -> ReplyQuerySet:
        """The replies in the same order, told their count, so the database need not probe for it."""
        return self.replies.for_result_count(count)

    def coarse_page_ids(self, count: int, bottom: int, top: int) -> list | None:
        """Ids of rows ``bottom:top`` of a coarse relevance order without sorting the matches again: a slice of
        the pinned ids when they were pinned in that order, else read from the top relevance tier
        (ReplyQuerySet.top_tier_ids); None when this search's order is not coarse at this count or neither way
        applies."""
        if not self.orders_by_relevance or ranks_every_match(count):
            return None
        if self.pinned_in_coarse_order:
            return list(self.pinned_ids[bottom:top])
        if not top_tier_from_indexes(self.query):
            return None
        return self.unsearched.top_tier_ids(self.query, bottom, top)

    def has_cheap_neighbours(self) -> bool:
        """Whether a reply page should find its neighbours itself (``neighbours``): without a query they come
        from indexes; with one, only when at most INLINE_NEIGHBOURS_LIMIT replies match."""
        return self.query is None or self.has_at_most(INLINE_NEIGHBOURS_LIMIT)

    def has_at_most(self, limit: int) -> bool:
        """Whether at most ``limit`` replies match, without counting them all: the known count, else what
        pinning found (a query that reads texts and was not pinned has more than PINNED_LIMIT matches), else a
        probe that reads at most ``limit`` + 1 ids."""
        if self.known_count is not None:
            return self.known_count <= limit
        query = self.query
        if query is not None and query.reads_text and not query.matches_nothing and limit <= PINNED_LIMIT:
            return False
        return self.replies.order_by().values("pk")[: limit + 1].count() <= limit

    def neighbours(self, reply: Reply) -> tuple[Reply | None, Reply | None]:
        """The replies before and after ``reply`` in this search's order, or None for each.

        Why not read the result's ids and find ``reply`` among them: a common term has tens of thousands. Every
        order ends in keys that set each reply apart (year and serial), so the neighbours are the first reply
        past ``reply``'s keys in each direction (keyset). Field orders read them from indexes; a relevance
        order computes every match's keys once, in one statement (``_neighbour_ids_by_relevance``)."""
        ordering = list(self.replies.query.order_by)
        keys = [f"_key{i}" for i in range(len(ordering))]
        keyed = self.replies.prefetch_related(None).annotate(
            _id=F("pk"), **{key: F(name.lstrip("-")) for key, name in zip(keys, ordering)})
        if self.orders_by_relevance:
            wanted = _neighbour_ids_by_relevance(keyed.order_by(), ordering, keys, reply.pk)
        else:
            mine = keyed.filter(pk=reply.pk).values_list(*keys).first()
            wanted = {} if mine is None else {
                direction: keyed.filter(_beyond_q(order, keys, mine)).order_by(*order).values_list("pk", flat=True).first()
                for direction, order in (("previous", _reversed(ordering)), ("next", ordering))}
        found = Reply.objects.select_related("year").in_bulk([pk for pk in wanted.values() if pk])
        return found.get(wanted.get("previous")), found.get(wanted.get("next"))


def _neighbour_ids_by_relevance(keyed, ordering: list[str], keys: list[str], pk: int) -> dict[str, int]:
    """{"previous": id, "next": id} (either left out at an end): the keys computed once per match in a
    materialised CTE, the current reply's row joined to every other."""
    compiled = sql_of(keyed.values_list("_id", *keys))
    if compiled is None:
        return {}
    inner, params = compiled
    parts = [f"(SELECT '{direction}', keyed._id FROM keyed, me WHERE {_beyond_sql(order, keys)} "
             f"ORDER BY {_order_sql(order, keys)} LIMIT 1)"
             for direction, order in (("previous", _reversed(ordering)), ("next", ordering))]
    sql = (f"WITH keyed AS MATERIALIZED ({inner}), me AS (SELECT * FROM keyed WHERE _id = %s) "
           + " UNION ALL ".join(parts))
    with connections[keyed.db].cursor() as cursor:
        cursor.execute(sql, (*params, pk))
        return dict(cursor.fetchall())


def _reversed(ordering: list[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]


def _order_sql(order: list[str], keys: list[str]) -> str:
    return ", ".join(f"keyed.{key} {'DESC' if name.startswith('-') else 'ASC'}" for name, key in zip(order, keys))


def _beyond_sql(order: list[str], keys: list[str]) -> str:
    """SQL: the keyed rows after ``me`` in ``order``: greater on the first key that differs, where greater means
    smaller for a descending key."""
    branches = []
    for i, name in enumerate(order):
        same = [f"keyed.{key} = me.{key}" for key in keys[:i]]
        same.append(f"keyed.{keys[i]} {'<' if name.startswith('-') else '>'} me.{keys[i]}")
        branches.append("(" + " AND ".join(same) + ")")
    return "(" + " OR ".join(branches) + ")"


def _beyond_q(order: list[str], keys: list[str], values: tuple) -> Q:
    """The same condition as ``_beyond_sql`` for keys annotated on a queryset, past the given values."""
    beyond = Q(pk__in=[])
    for i, name in enumerate(order):
        same = dict(zip(keys[:i], values[:i]))
        beyond |= Q(**same, **{f"{keys[i]}__{'lt' if name.startswith('-') else 'gt'}": values[i]})
    return beyond


def by_relevance(ordering: str, query: Query | None) -> bool:
    """Whether a search is ordered by relevance: the default with a query; without one, relevance falls back to
    serial order."""
    return ordering in ("", RELEVANCE) and query is not None and not query.is_empty


def ordered(queryset: ReplyQuerySet, ordering: str, query: Query | None) -> ReplyQuerySet:
    """Relevance by default with a query; serial order without one (relevance then falls back to it)."""
    if by_relevance(ordering, query):
        return queryset.by_relevance()
    if ordering in ("", RELEVANCE):
        return queryset.in_serial_order()
    return queryset.order_by(*ORDERINGS[ordering].order_by)
