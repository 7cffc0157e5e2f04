"""ReplyQuerySet: the one place that knows how replies are looked up and ordered."""

from __future__ import annotations

from django.db import models
from django.db.models.expressions import RawSQL

from search import Query, Term, parse_query

# Written by replies.search_index, read only inside SQL: never worth carrying to Python (rank_vector of a long
# reply is large), so listings, the API and exports leave them out.
SEARCH_COLUMNS = ("search_text", "match_vector", "meta_vector", "rank_vector")

# ts_rank weights for D, C, B, A (reply, unused, head/programme/subhead/officers, member/question); normalisation
# 32 maps the rank into [0, 1), so adding the number of query terms found in member/question (meta_vector) makes
# that count the first key and ts_rank the second, in one float.
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
RANK_NORMALISATION = 32


class ReplyQuerySet(models.QuerySet):
    def with_related(self) -> "ReplyQuerySet":
        """Everything a listing, the API or an export shows, in a fixed number of queries."""
        related = self.select_related("year", "member", "head").prefetch_related("programmes")
        return related.defer(*SEARCH_COLUMNS)

    def in_serial_order(self) -> "ReplyQuerySet":
        return self.order_by("year__label", "serial")

    def search(self, q: "str | Query | None") -> "ReplyQuerySet":
        """Replies matching the query exactly (see docs/SEARCH.md), annotated with ``rank`` (higher = better).

        A blank query keeps every reply (rank 0); a query of exclusions only matches nothing."""
        query = q if isinstance(q, Query) else parse_query(q)
        if query.matches_nothing:
            return self.none().annotate(rank=models.Value(0.0, output_field=models.FloatField()))
        matched = self
        for condition in _where_clauses(self.model._meta.db_table, query):
            matched = matched.filter(condition)
        return matched.annotate(rank=_rank_expression(self.model._meta.db_table, query))

    def by_relevance(self) -> "ReplyQuerySet":
        """Best first (needs ``search``), then serial order among equals."""
        return self.order_by("-rank", "year__label", "serial")


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


def _rank_expression(table: str, query: Query) -> RawSQL:
    """Terms found in member/question (meta_vector) + ts_rank of the query's jieba words in [0, 1)."""
    parts, params = [], []
    for term in query.positive_terms:
        parts.append(f'(coalesce("{table}"."meta_vector" @@ %s::tsquery, false))::int')
        params.append(term.tsquery)
    rank_tsquery = query.rank_tsquery() if not query.is_empty else ""
    if rank_tsquery:
        parts.append(f'coalesce(ts_rank(%s::float4[], "{table}"."rank_vector", %s::tsquery, {RANK_NORMALISATION}), 0)')
        params += [RANK_WEIGHTS, rank_tsquery]
    sql = "(" + " + ".join(parts) + ")::float8" if parts else "0::float8"
    return RawSQL(sql, params, output_field=models.FloatField())
