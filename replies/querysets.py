"""ReplyQuerySet: the one place that knows how replies are looked up and ordered."""

from __future__ import annotations

import time
from dataclasses import replace
from functools import lru_cache

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import F
from django.db.models.expressions import RawSQL

from replies.alias_table import table as alias_table
from search import Clause, Query, Term, parse_query
from search.common_strings import candidates, prove
from search.passages import confirmed_in_passages

PASSAGE_TABLE = "replies_passage"
COMMON_STRING_TABLE = "replies_commonstring"
EXCLUDED = "excluded"  # the alias of the replies an exclusion removes (_where_clauses)
EITHER = "either"  # the alias of the replies one term of an OR-group finds (_clause_condition)

# Written by replies.search_index, read only inside SQL: never worth carrying to Python (rank_vector of a long
# reply is large), so listings, the API and exports leave them out.
SEARCH_COLUMNS = ("search_text", "match_vector", "meta_vector", "rank_vector")

# ts_rank weights for D, C, B, A (reply, unused, head/programme/subhead/officers, member/question); normalisation
# 32 maps the rank into [0, 1).
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
RANK_NORMALISATION = 32

# ts_rank reads each match's rank_vector from TOAST, which for a term found in half of a large corpus takes seconds.
# Up to this many matches every one is ranked; above it the tiers (terms in member/question) still come first,
# newest first within a tier. See docs/SEARCH.md "Order" and docs/BENCHMARKS.md.
FULL_RANK_LIMIT = 1_000
# The tier (terms in member/question) may be read per match from meta_vector (each read from TOAST) up to
# this many matches; above it, it is always one hashed set of ids from the meta GIN index (_tier_for chooses).
ROW_TIER_LIMIT = 5_000
# Up to this many matches the tier is read per row without first counting the meta hits.
ROW_TIER_ALWAYS = 100
# Up to this many matches a query that reads texts is pinned to its ids (ids_to_pin).
PINNED_LIMIT = 20_000
# Up to this many meta hits (each term's, summed) a search pinned in a relevance order reads its matches' tier while
# pinning them, as one hashed set of ids, and gets them back in the coarse relevance order (ids_to_pin).
PINNED_ORDER_META_HITS = 5_000
META_HITS_SECONDS = 600  # how long a term's count of meta hits is remembered (it only steers the plan)


class ReplyQuerySet(models.QuerySet):
    def with_related(self, *, search_text: bool = False) -> "ReplyQuerySet":
        """Everything a listing, the API or an export shows, in a fixed number of queries; ``search_text`` too
        for a page of results, whose snippets choose their field in it (replies.highlighting)."""
        related = self.select_related("year", "member", "head").prefetch_related("programmes")
        return related.defer(*(column for column in SEARCH_COLUMNS if not (search_text and column == "search_text")))

    def counts_by(self, column: str) -> dict:
        """{value of ``column``: number of replies}. Why not annotate(Count("replies")) on the other side: grouping
        the replies by their own indexed foreign key is an index-only scan, several times faster at 200,000 replies
        than joining every reply to its year, head or member (COUNT(*), not COUNT(id): reading no other column)."""
        return dict(self.order_by().values_list(column).annotate(count=models.Count("*")))

    def in_serial_order(self) -> "ReplyQuerySet":
        return self.order_by("year__label", "serial")

    def search(self, q: "str | Query | None") -> "ReplyQuerySet":
        """Replies matching the query exactly (see docs/SEARCH.md), annotated with ``rank``: how many of the query's
        terms are in the member's name or the question (higher = better); ``by_relevance`` refines it.

        A blank query keeps every reply (rank 0); a query of exclusions only matches nothing."""
        if not isinstance(q, Query):
            q = parse_query(q, alias_table(self.db))
        query = prepared(q, self)
        if query.matches_nothing:
            return self.none().annotate(rank=models.Value(0.0, output_field=models.FloatField()))
        matched = self
        for condition in _where_clauses(self.model._meta.db_table, query):
            matched = matched.filter(condition)
        return matched.ranked_for(query)

    def ranked_for(self, query: Query) -> "ReplyQuerySet":
        """The relevance annotations of ``search`` without its conditions: for replies known to match."""
        table = self.model._meta.db_table
        return self.annotate(rank=_tier_expression(table, query)).alias(
            row_tier=_tier_expression(table, query, per_row=True), text_rank=_text_rank_expression(table, query)
        )

    def ids_to_pin(self, query: Query, *, in_coarse_order: bool = False) -> list[int] | None:
        """The ids of these replies (``search``'s, annotated with ``rank``) when ``query`` is confirmed by reading
        texts (a phrase, a term of three or more characters) and at most PINNED_LIMIT replies match, else None.
        Why: a listing counts, groups and orders its matches in separate statements, and each would read every
        candidate's text again; an id list is read once here and then costs nothing (``pinned_to``).

        ``in_coarse_order``: the ids in the coarse relevance order (tier, then newest first), sorted by the same
        statement; a page of more than FULL_RANK_LIMIT matches is then a slice of them, where reading the page
        from the ids again would visit every match's row once more."""
        if not query.reads_text or query.matches_nothing:
            return None
        matched = self.order_by()
        if in_coarse_order:
            ids = _ids_in_coarse_order(matched.annotate(_label=F("year__label")).values_list(
                "pk", "rank", "_label", "serial")[: PINNED_LIMIT + 1])
        else:
            ids = list(matched.values_list("pk", flat=True)[: PINNED_LIMIT + 1])
        return None if len(ids) > PINNED_LIMIT else ids

    def tier_is_cheap(self, query: Query) -> bool:
        """Whether the tier of every match of ``query`` is worth reading while pinning them (``ids_to_pin``): its
        terms have at most PINNED_ORDER_META_HITS meta hits, so the hashed set costs a few milliseconds however
        few replies match."""
        return self._meta_hits([_unit_tsquery(unit) for unit in query.tier_units()]) <= PINNED_ORDER_META_HITS

    def pinned_to(self, ids: list[int], query: Query) -> "ReplyQuerySet":
        """The replies ``ids`` (read by ``ids_to_pin``), ranked for ``query`` without testing it again."""
        return self.filter(_id_test(self.model._meta.db_table, ids)).ranked_for(query)

    def by_relevance(self) -> "ReplyQuerySet":
        """Best first (needs ``search``): terms in member/question, then ts_rank over every field when at most
        FULL_RANK_LIMIT replies match, then newest first. One sort key, ``relevance``: the tier (a whole number)
        plus ts_rank (in [0, 1)) sorts exactly as the two keys in turn."""
        if "text_rank" not in self.query.annotations:
            return self.order_by("-rank", "-year__label", "serial")
        return self.alias(relevance=self._relevance_by_probe()).order_by("-relevance", "-year__label", "serial")

    @property
    def orders_by_relevance(self) -> bool:
        return "relevance" in self.query.annotations

    def for_result_count(self, count: int) -> "ReplyQuerySet":
        """The same order, for a caller that has counted the matches already (a page of the listing or the
        API): the size decides in Python what ``by_relevance`` asks the database to probe for."""
        if "relevance" not in self.query.annotations:
            return self
        tier = self._tier_for(count)
        if not ranks_every_match(count):
            return self.alias(relevance=tier)
        return self.alias(relevance=_plus_text_rank(tier, self.query.annotations["text_rank"]))

    def top_tier_ids(self, query: Query, bottom: int, top: int) -> list | None:
        """Ids of rows ``bottom:top`` of the coarse relevance order of these replies searched for ``query``, when
        they all lie in its top tier (every term in member/question) or, for several terms, in the tiers above
        the last (some term there), else None. Why: the order is tier, then newest first, so such a page is the
        best and newest of the meta hits; reading those from the meta GIN index skips the match set, which for a
        word in half the replies is half the table.

        Call it on the replies of every filter but the search, for a query with ``top_tier_from_indexes``: where a
        meta hit does not imply a match (an exclusion, a resolved term, one term of several), the query's
        conditions are added, which then read only indexes and ids."""
        hits = [self._meta_hits([_unit_tsquery(unit)]) for unit in query.tier_units()]
        tiers = [every for every, enough in ((True, min(hits) >= top), (False, len(hits) > 1 and sum(hits) >= top))
                 if enough]
        for every_term in tiers:
            ids = self._meta_hit_ids(query, top, every_term)
            if len(ids) == top:
                return ids[bottom:]
        return None

    def _meta_hit_ids(self, query: Query, top: int, every_term: bool) -> list[int]:
        """The first ``top`` ids, in the coarse relevance order, of the matches with every (else some) term in
        member/question."""
        table = self.model._meta.db_table
        units = query.tier_units()
        in_meta = [f'"{table}"."meta_vector" @@ %s::tsquery' for _ in units]
        meta_test = RawSQL("(" + (" AND " if every_term else " OR ").join(in_meta) + ")",
                           [_unit_tsquery(unit) for unit in units], output_field=models.BooleanField())
        conditions = [] if every_term and top_tier_implies_match(query) else _where_clauses(table, query)
        # every term: one tier, the top one; some term: the tiers are counted as the full order counts them
        tier = models.Value(0) if every_term else _tier_expression(table, query)
        rows = self.filter(meta_test, *conditions).order_by().annotate(tier=tier)
        compiled = sql_of(rows.values("id", "year_id", "serial", "tier"))
        if compiled is None:
            return []
        inner, params = compiled
        # MATERIALIZED: the rows come from the meta GIN index; planned with the ORDER BY … LIMIT, the planner walks
        # the years newest first instead and tests meta_vector row by row.
        sql = (f'WITH top_tier AS MATERIALIZED ({inner}) SELECT top_tier.id FROM top_tier JOIN "replies_year" '
               'ON "replies_year"."id" = top_tier.year_id '
               'ORDER BY top_tier.tier DESC, "replies_year"."label" DESC, top_tier.serial LIMIT %s')
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, (*params, top))
            return [pk for (pk,) in cursor.fetchall()]

    def _tier_for(self, count: int) -> RawSQL:
        """The tier read per row or from the hashed set of meta hits, whichever reads less: a row's meta_vector
        is read from TOAST, a hashed meta hit costs several times less, so a few matches among many meta hits
        are read per row, and many matches with few meta hits from the set."""
        row_tier, hashed = self.query.annotations["row_tier"], self.query.annotations["rank"]
        if count > ROW_TIER_LIMIT:
            return hashed
        if count <= ROW_TIER_ALWAYS:
            return row_tier
        return row_tier if self._meta_hits(row_tier.params) > 8 * count else hashed

    def _meta_hits(self, tsqueries) -> int:
        """How many replies hold each term in member/question, summed: a GIN count, remembered per process for META_HITS_SECONDS. It only chooses how the tier is read, never
        what it is, so a stale figure can cost time but cannot change a result."""
        period = int(time.monotonic() // META_HITS_SECONDS)
        return sum(_meta_hits(self.db, self.model._meta.db_table, tsquery, period) for tsquery in tsqueries)

    def _relevance_by_probe(self) -> RawSQL:
        """tier + ts_rank when at most FULL_RANK_LIMIT replies are in the queryset, else the hashed tier. The size
        is probed inside the same statement (an InitPlan reading at most limit + 1 ids): no extra round trip."""
        compiled = sql_of(self.order_by().values("pk"))
        if compiled is None:
            return RawSQL("0::float8", [], output_field=models.FloatField())
        matched, probe_params = compiled
        ranked = self._tier_and_text_rank()
        hashed = self.query.annotations["rank"]
        # MATERIALIZED: planned for all its rows (a bitmap scan of the GIN index) and read lazily up to the limit;
        # a plain subquery with LIMIT is planned as a sequential scan that decompresses match vectors.
        probe = f"WITH matched AS MATERIALIZED ({matched}) SELECT 1 FROM matched LIMIT {FULL_RANK_LIMIT + 1}"
        sql = (f"(CASE WHEN (SELECT count(*) FROM ({probe}) AS probe) <= {FULL_RANK_LIMIT} "
               f"THEN {ranked.sql} ELSE {hashed.sql} END)")
        return RawSQL(sql, (*probe_params, *ranked.params, *hashed.params), output_field=models.FloatField())

    def _tier_and_text_rank(self) -> RawSQL:
        return _plus_text_rank(self.query.annotations["row_tier"], self.query.annotations["text_rank"])


def proven(query: Query, using: str) -> Query:
    """``query`` with the terms that are common strings searched by their own lexeme, which proves the match
    without reading texts (search/common_strings.py; replies.common_strings keeps the replies indexed so). One
    small query, and only when a term could be one (3 to 8 CJK characters)."""
    wanted = candidates(query)
    if not wanted:
        return query if query.common_strings_applied else prove(query, ())
    with connections[using].cursor() as cursor:
        cursor.execute(f'SELECT "text" FROM "{COMMON_STRING_TABLE}" WHERE "text" = ANY(%s)', [wanted])
        return prove(query, {text for (text,) in cursor.fetchall()})


def prepared(query: Query, replies: models.QuerySet) -> Query:
    """``query`` ready to search ``replies`` (any filters on them are ignored): its common strings proven, then
    its excluded and OR-ed terms that read texts resolved to their replies' ids."""
    return resolved(proven(query, replies.db), replies)


def resolved(query: Query, replies: models.QuerySet) -> Query:
    """``query`` with each excluded or OR-ed term that reads texts given the ids of the replies containing it, when
    they are at most PINNED_LIMIT: all such terms in one statement. Why: such a term is tested against replies the
    other terms found, which for a common term is most of the table; as a test of the id, the exclusion or the
    OR is answered from indexes (``_where_clauses``), in every statement of the request."""
    if query.terms_resolved:
        return query
    wanted = {term for clause in query.clauses if clause.negated or len(clause.terms) > 1
              for term in clause.terms if term.reads_text}
    found = _ids_of_terms(sorted(wanted, key=lambda term: term.folded), replies) if wanted else {}
    clauses = tuple(replace(clause, terms=tuple(found.get(term, term) for term in clause.terms))
                    for clause in query.clauses)
    return replace(query, clauses=clauses, terms_resolved=True)


def _ids_of_terms(terms: list[Term], replies: models.QuerySet) -> dict[Term, Term]:
    """{term: the term with its replies' ids} for each of ``terms`` that at most PINNED_LIMIT replies contain,
    read by one UNION ALL of a LIMITed select per term."""
    table = replies.model._meta.db_table
    selects, params = [], []
    for number, term in enumerate(terms):
        sql, term_params = _term_condition(table, term)
        selects.append(f'(SELECT {number}, "{table}"."id" FROM "{table}" WHERE {sql} LIMIT %s)')
        params += [*term_params, PINNED_LIMIT + 1]
    ids: list[list[int]] = [[] for _ in terms]
    with connections[replies.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for number, pk in cursor.fetchall():
            ids[number].append(pk)
    return {term: replace(term, matched_ids=tuple(sorted(found)))
            for term, found in zip(terms, ids) if len(found) <= PINNED_LIMIT}


def _ids_in_coarse_order(keyed: models.QuerySet) -> list[int]:
    """The ids of ``keyed`` (a sliced values_list of pk, rank, _label, serial) sorted as ``by_relevance`` sorts
    more than FULL_RANK_LIMIT matches. The slice stays inside, so the statement stops reading texts where
    ``ids_to_pin`` would; PostgreSQL sorts, so the strings compare in the columns' own collation."""
    compiled = sql_of(keyed)
    if compiled is None:
        return []
    inner, params = compiled
    sql = (f'SELECT pinned."pk" FROM ({inner}) AS pinned '
           'ORDER BY pinned."rank" DESC, pinned."_label" DESC, pinned."serial" ASC')
    with connections[keyed.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def sql_of(queryset: models.QuerySet) -> tuple[str, tuple] | None:
    """The SQL and parameters of ``queryset``, to be wrapped in a statement of our own; None when Django knows
    it matches nothing (a filter on an empty list of ids, such as a programme no reply has), where it raises
    EmptyResultSet instead of writing SQL."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None


def ranks_every_match(count: int) -> bool:
    """Whether a relevance order of ``count`` matches ranks each by ts_rank (else: tier, then newest first)."""
    return count <= FULL_RANK_LIMIT


def top_tier_from_indexes(query: Query) -> bool:
    """Whether the top tier of ``query`` (``top_tier_ids``) can be read without reading texts: it has a positive
    term, and no term reads texts."""
    return bool(query.positive_terms) and not query.reads_text


def top_tier_implies_match(query: Query) -> bool:
    """Whether a reply with every term of ``query`` in member/question surely matches it (``top_tier_ids``):
    no exclusion, and every term proven by its lexemes, so a meta hit is a match."""
    return (bool(query.positive_terms) and not query.negated_terms
            and not any(term.needs_verify for term in query.positive_terms))


def _plus_text_rank(tier: RawSQL, text_rank: RawSQL) -> RawSQL:
    """tier + ts_rank, the latter kept below 1 even where float rounding would reach it, so it never outweighs
    a tier."""
    sql = f"({tier.sql} + least({text_rank.sql}, 0.999999))"
    return RawSQL(sql, (*tier.params, *text_rank.params), output_field=models.FloatField())


@lru_cache(maxsize=4096)
def _meta_hits(db: str, table: str, tsquery: str, period: int) -> int:
    with connections[db].cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "meta_vector" @@ %s::tsquery', [tsquery])
        return int(cursor.fetchone()[0])


def _where_clauses(table: str, query: Query) -> list[RawSQL]:
    """The query's conditions; user text travels only as parameters.

    Every positive clause whose terms the lexemes prove goes into one tsquery (``a & (b | c)``), tested once per
    row: the planner charges each ``@@`` for every row it may test, so separate tests of several common terms
    made a sequential scan (reading every reply's match vector) look cheaper than the GIN index. An exclusion the
    lexemes prove joins that tsquery as ``& !term``: the GIN index answers it from its lists of ids, where a test
    per row would read the match vector of every reply the other terms found, most of the table for a common
    term. Other clauses: ``_clause_condition``."""
    positive = [clause for clause in query.clauses if not clause.negated and _proven_clause(clause)]
    excluded = [clause for clause in query.clauses if clause.negated and _proven_clause(clause)] if positive else []
    conditions = []
    if positive:
        tsquery = " & ".join([*(_any_of(clause.terms) for clause in positive),
                              *(f"!{_any_of(clause.terms)}" for clause in excluded)])
        conditions.append(RawSQL(f'("{table}"."match_vector" @@ %s::tsquery)', [tsquery],
                                 output_field=models.BooleanField()))
    for clause in query.clauses:
        if clause not in positive and clause not in excluded:
            conditions.append(_clause_condition(table, clause))
    return conditions


def _any_of(terms) -> str:
    """The tsquery of an OR-group of terms proven by their lexemes."""
    return "(" + " | ".join(f"({term.tsquery})" for term in terms) + ")"


def _unit_tsquery(unit) -> str:
    """The meta test of one term, or of the forms of one alias group together (Query.tier_units)."""
    return unit[0].tsquery if len(unit) == 1 else _any_of(unit)


def _proven_clause(clause: Clause) -> bool:
    return all(not term.needs_verify for term in clause.terms)


def _clause_condition(table: str, clause: Clause) -> RawSQL:
    """An exclusion, one term, or an OR-group of terms some of which read texts.

    Terms whose replies were read beforehand (``resolved``) are a test of the id. An exclusion that must read
    texts is an anti-join on the replies that have the term. An OR-group of proven and resolved terms is one
    tsquery or a list of ids, both answered from indexes; with a term that reads texts, it is the union of each
    term's replies, so that each is found its own way (tested together row by row, every reply any term's index
    proposes would have its match vector read for the others)."""
    if clause.negated:
        if clause.terms[0].matched_ids is not None:
            return _id_test(table, clause.terms[0].matched_ids, negated=True)
        sql, params = _term_condition(EXCLUDED, clause.terms[0])
        return RawSQL(f'(NOT EXISTS (SELECT 1 FROM "{table}" AS "{EXCLUDED}" WHERE "{EXCLUDED}"."id" = "{table}"."id" '
                      f"AND {sql}))", params, output_field=models.BooleanField())
    if len(clause.terms) == 1:
        sql, params = _term_condition(table, clause.terms[0])
        return RawSQL(f"({sql})", params, output_field=models.BooleanField())
    if not any(term.reads_text for term in clause.terms):
        return _proven_or_resolved(table, clause.terms)
    selects, params = [], []
    for term in clause.terms:
        sql, term_params = _term_condition(EITHER, term)
        selects.append(f'SELECT "{EITHER}"."id" FROM "{table}" AS "{EITHER}" WHERE {sql}')
        params += term_params
    return RawSQL(f'("{table}"."id" IN ({" UNION ".join(selects)}))', params, output_field=models.BooleanField())


def _proven_or_resolved(table: str, terms) -> RawSQL:
    """An OR-group of terms each proven by its lexemes or resolved to ids: the lexemes' tsquery OR the ids."""
    proven_terms = [term for term in terms if not term.needs_verify]
    ids = sorted({pk for term in terms if term.needs_verify for pk in term.matched_ids})
    parts, params = [], []
    if proven_terms:
        parts.append(f'"{table}"."match_vector" @@ %s::tsquery')
        params.append(_any_of(proven_terms))
    id_test = _id_test(table, ids)
    return RawSQL("(" + " OR ".join([*parts, id_test.sql]) + ")", [*params, *id_test.params],
                  output_field=models.BooleanField())


def _id_test(table: str, ids, *, negated: bool = False) -> RawSQL:
    """Whether the id is (not) among ``ids``, as one array literal (psycopg would adapt every id on its own). The
    negation is a NOT IN over the unnested array, which PostgreSQL hashes once; ``NOT id = ANY(…)`` became an
    ``<> ALL`` that it compared element by element for every row (twice the time of a whole count)."""
    literal = "{" + ",".join(map(str, ids)) + "}"
    if negated:
        return RawSQL(f'(NOT ("{table}"."id" IN (SELECT unnest(%s::bigint[]))))', [literal],
                      output_field=models.BooleanField())
    return RawSQL(f'("{table}"."id" = ANY(%s::bigint[]))', [literal], output_field=models.BooleanField())


def _term_condition(table: str, term: Term) -> tuple[str, list[str]]:
    """GIN candidate filter on match_vector, then, only when needed, the exact test: in the passages of a long
    reply that have the term's lexemes (one hashed set of reply ids from the passage GIN index), else in the
    whole search_text."""
    candidates = f'"{table}"."match_vector" @@ %s::tsquery'
    if not term.needs_verify:
        return f"({candidates})", [term.tsquery]
    in_text, text_params = _text_test(f'"{table}"."search_text"', term)
    if not confirmed_in_passages(term.folded):
        return f"({candidates} AND {in_text})", [term.tsquery, *text_params]
    in_passage, passage_params = _text_test(f'"{PASSAGE_TABLE}"."text"', term)
    in_passages = (f'"{table}"."id" IN (SELECT "reply_id" FROM "{PASSAGE_TABLE}" '
                   f'WHERE "{PASSAGE_TABLE}"."match_vector" @@ %s::tsquery AND {in_passage})')
    sql = f'({candidates} AND CASE WHEN "{table}"."has_passages" THEN {in_passages} ELSE {in_text} END)'
    return sql, [term.tsquery, term.passage_tsquery, *passage_params, *text_params]


def _text_test(column: str, term: Term) -> tuple[str, list[str]]:
    """The exact test of a term on a text column: strpos (a byte search, half the time of the regex engine, which
    first converts the whole text to wide characters), and the regex only where a token edge is to be checked."""
    sql = f"strpos({column}, %s) > 0"
    if not term.has_token_edge:
        return sql, [term.folded]
    return f"({sql} AND {column} ~ %s)", [term.folded, term.verify_regex]


def _tier_expression(table: str, query: Query, *, per_row: bool = False) -> RawSQL:
    """How many positive terms are in member/question (the candidate test on meta_vector, lexemes only:
    approximate). ``per_row`` reads each row's meta_vector (cheap for a few thousand rows); otherwise each term
    is a membership test in a hashed set of ids that the meta_vector GIN index yields, so no vector is read."""
    parts, params = [], []
    for unit in query.tier_units():  # the forms of an alias group count as one term
        if per_row:
            parts.append(f'("{table}"."meta_vector" @@ %s::tsquery)::int')
        else:
            parts.append(f'("{table}"."id" IN (SELECT "id" FROM "{table}" WHERE "meta_vector" @@ %s::tsquery))::int')
        params.append(_unit_tsquery(unit))
    sql = "(" + " + ".join(parts) + ")::float8" if parts else "0::float8"
    return RawSQL(sql, params, output_field=models.FloatField())


def _text_rank_expression(table: str, query: Query) -> RawSQL:
    """ts_rank of the query's jieba words over rank_vector (every field, weighted), in [0, 1)."""
    rank_tsquery = query.rank_tsquery() if not query.is_empty else ""
    if not rank_tsquery:
        return RawSQL("0::float8", [], output_field=models.FloatField())
    sql = f'coalesce(ts_rank(%s::float4[], "{table}"."rank_vector", %s::tsquery, {RANK_NORMALISATION}), 0)::float8'
    return RawSQL(sql, [RANK_WEIGHTS, rank_tsquery], output_field=models.FloatField())
