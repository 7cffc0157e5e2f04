"""ReplyQuerySet: the one place that knows how replies are looked up and ordered."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models.expressions import RawSQL

from search import Query, Term, parse_query

# Written by replies.search_index, read only inside SQL: never worth carrying to Python (rank_vector of a long
# reply is large), so listings, the API and exports leave them out.
SEARCH_COLUMNS = ("search_text", "match_vector", "meta_vector", "rank_vector")

# ts_rank weights for D, C, B, A (reply, unused, head/programme/subhead/officers, member/question); normalisation
# 32 maps the rank into [0, 1).
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
RANK_NORMALISATION = 32

# ts_rank reads each match's rank_vector from TOAST (about 12 µs a reply): 50 ms for 4,000 matches, seconds for a
# term found in half of 200,000 replies. Up to this many matches every one is ranked; above it the tiers (terms in
# member/question) still come first, newest first within a tier. See docs/SEARCH.md "Order" and docs/BENCHMARKS.md.
FULL_RANK_LIMIT = 1_000


class ReplyQuerySet(models.QuerySet):
    def with_related(self) -> "ReplyQuerySet":
        """Everything a listing, the API or an export shows, in a fixed number of queries."""
        related = self.select_related("year", "member", "head").prefetch_related("programmes")
        return related.defer(*SEARCH_COLUMNS)

    def in_serial_order(self) -> "ReplyQuerySet":
        return self.order_by("year__label", "serial")

    def search(self, q: "str | Query | None") -> "ReplyQuerySet":
        """Replies matching the query exactly (see docs/SEARCH.md), annotated with ``rank``: how many of the query's
        terms are in the member's name or the question (higher = better); ``by_relevance`` refines it.

        A blank query keeps every reply (rank 0); a query of exclusions only matches nothing."""
        query = q if isinstance(q, Query) else parse_query(q)
        if query.matches_nothing:
            return self.none().annotate(rank=models.Value(0.0, output_field=models.FloatField()))
        matched = self
        for condition in _where_clauses(self.model._meta.db_table, query):
            matched = matched.filter(condition)
        table = self.model._meta.db_table
        return matched.annotate(rank=_tier_expression(table, query)).alias(text_rank=_text_rank_expression(table, query))

    def by_relevance(self) -> "ReplyQuerySet":
        """Best first (needs ``search``): terms in member/question, then ts_rank over every field when at most
        FULL_RANK_LIMIT replies match, then newest first."""
        keys = ["-rank"]
        ordered = self
        if "text_rank" in self.query.annotations:
            ordered = self.alias(fine_rank=self._text_rank_when_few())
            keys.append("-fine_rank")
        return ordered.order_by(*keys, "-year__label", "serial")

    def _text_rank_when_few(self) -> RawSQL:
        """text_rank when at most FULL_RANK_LIMIT replies are in the queryset, else 0. The size is probed inside
        the same statement (an InitPlan reading at most limit + 1 ids), so it costs no extra round trip."""
        text_rank = self.query.annotations["text_rank"]
        try:
            matched, probe_params = self.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            return RawSQL("0::float8", [], output_field=models.FloatField())
        # MATERIALIZED: planned for all its rows (a bitmap scan of the GIN index) and read lazily up to the limit;
        # a plain subquery with LIMIT is planned as a sequential scan that decompresses match vectors.
        probe = f"WITH matched AS MATERIALIZED ({matched}) SELECT 1 FROM matched LIMIT {FULL_RANK_LIMIT + 1}"
        sql = (f"(CASE WHEN (SELECT count(*) FROM ({probe}) AS probe) <= {FULL_RANK_LIMIT} "
               f"THEN {text_rank.sql} ELSE 0 END)")
        return RawSQL(sql, (*probe_params, *text_rank.params), output_field=models.FloatField())


def _where_clauses(table: str, query: Query) -> list[RawSQL]:
    """One boolean SQL condition per clause; user text travels only as parameters."""
    conditions = []
    for clause in query.clauses:
        sql, params = [], []
        for term in clause.terms:
            term_sql, term_params = _term_condition(table, term)
            sql.append(term_sql)
            params += term_params
        combined = " OR ".join(sql)
        text = f"NOT coalesce(({combined}), false)" if clause.negated else f"({combined})"
        conditions.append(RawSQL(text, params, output_field=models.BooleanField()))
    return conditions


def _term_condition(table: str, term: Term) -> tuple[str, list[str]]:
    """GIN candidate filter on match_vector, then the exact regex on search_text only when needed."""
    sql = f'"{table}"."match_vector" @@ %s::tsquery'
    if not term.needs_verify:
        return f"({sql})", [term.tsquery]
    return f'({sql} AND "{table}"."search_text" ~ %s)', [term.tsquery, term.verify_regex]


def _tier_expression(table: str, query: Query) -> RawSQL:
    """How many positive terms are in member/question: each a membership test in a hashed set of ids that the
    meta_vector GIN index yields, so no reply's vector is read (the candidate test, lexemes only: approximate)."""
    parts, params = [], []
    for term in query.positive_terms:
        parts.append(f'("{table}"."id" IN (SELECT "id" FROM "{table}" WHERE "meta_vector" @@ %s::tsquery))::int')
        params.append(term.tsquery)
    sql = "(" + " + ".join(parts) + ")::float8" if parts else "0::float8"
    return RawSQL(sql, params, output_field=models.FloatField())


def _text_rank_expression(table: str, query: Query) -> RawSQL:
    """ts_rank of the query's jieba words over rank_vector (every field, weighted), in [0, 1)."""
    rank_tsquery = query.rank_tsquery() if not query.is_empty else ""
    if not rank_tsquery:
        return RawSQL("0::float8", [], output_field=models.FloatField())
    sql = f'coalesce(ts_rank(%s::float4[], "{table}"."rank_vector", %s::tsquery, {RANK_NORMALISATION}), 0)::float8'
    return RawSQL(sql, [RANK_WEIGHTS, rank_tsquery], output_field=models.FloatField())
