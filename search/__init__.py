"""Pure-Python search core: folding, normalisation, index tokens, query parsing and highlighting.

No Django and no database here; the SQL layer builds on these functions (see docs/SEARCH.md).
"""

from .chars import is_cjk
from .fold import fold
from .highlight import highlight, hit_spans
from .normalise import build_search_text, normalise_for_search, normalise_with_offsets
from .query import Clause, Query, Term, make_term, parse_query, verify_regex_for
from .tokens import (
    match_lexemes,
    normalised_rank_words,
    rank_positions,
    rank_vector_literal,
    rank_words,
    term_lexemes,
    tsquery_literal,
    tsvector_literal,
)

__all__ = [
    "Clause",
    "Query",
    "Term",
    "build_search_text",
    "fold",
    "highlight",
    "hit_spans",
    "is_cjk",
    "make_term",
    "match_lexemes",
    "normalise_for_search",
    "normalise_with_offsets",
    "normalised_rank_words",
    "parse_query",
    "rank_positions",
    "rank_vector_literal",
    "rank_words",
    "term_lexemes",
    "tsquery_literal",
    "tsvector_literal",
    "verify_regex_for",
]
