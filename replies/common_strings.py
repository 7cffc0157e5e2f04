"""The corpus's common strings (search/common_strings.py) in the database, and the invariant that makes them
safe: every reply whose search_text contains a common string has it as a lexeme of its match vector.

While replies exist, strings are only ever added. A set is drawn when a corpus is loaded into an empty table
(``draw``; replies.importing.bulk), and grows after each import (``refresh``): the replies that contain a new string are re-indexed in the same transaction that adds it.
A search asks the database which of its terms are common (replies.querysets.proven: one small query, only for
terms of 3 to 8 CJK characters), so no process ever trusts a string that replies were not indexed with.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from replies.models import CommonString, Reply
from replies.search_index import index_replies
from search import tsquery_literal
from search.common_strings import CommonStrings, frequent_strings
from search.tokens import term_lexemes

SAMPLE_SIZE = 5_000  # replies read to choose the strings: enough to find every string in MIN_SHARE of them
MIN_SHARE = 0.02  # rarer strings are confirmed in the few texts that have them
MIN_COUNT = 20  # in a small corpus, a string must still be in this many replies


def draw(search_texts: Iterable[str]) -> set[str]:
    """The common strings of these search texts (a sample of the corpus)."""
    return frequent_strings(search_texts, min_share=MIN_SHARE, min_count=MIN_COUNT)


def add(strings: Iterable[str]) -> set[str]:
    """Store the strings not stored yet; returns them. The caller indexes the replies that contain them."""
    new = set(strings) - set(CommonString.objects.values_list("text", flat=True))
    CommonString.objects.bulk_create([CommonString(text=text) for text in sorted(new)])
    return new


@transaction.atomic
def refresh() -> int:
    """Add the strings now common in the corpus (drawn from a sample of it) and re-index the replies that contain
    one; returns how many strings were added."""
    new = add(draw(sample_texts(Reply.objects.all())))
    if new:
        index_replies(Reply.objects.filter(pk__in=replies_containing(new)))
    return len(new)


def replies_containing(strings: set[str]) -> list[int]:
    """Ids of the replies whose search_text contains any of ``strings``: the GIN index proposes the replies with
    a string's bigrams, the same scan that indexes a reply confirms it."""
    finder = CommonStrings(strings)
    any_string = " | ".join(f"({tsquery_literal(term_lexemes(text))})" for text in sorted(strings))
    found = []
    rows = Reply.objects.filter(RawSQL("match_vector @@ %s::tsquery", [any_string], output_field=BooleanField()))
    for pk, text in rows.values_list("pk", "search_text").iterator(chunk_size=2000):
        if finder.found_in(text):
            found.append(pk)
    return found


def sample_texts(replies, size: int = SAMPLE_SIZE) -> list[str]:
    """The search texts of ``size`` of these replies spread evenly over their ids (deterministic; a historical
    model's queryset works too)."""
    return list(replies.filter(pk__in=sample_ids(replies, size)).values_list("search_text", flat=True))


def sample_ids(replies, size: int = SAMPLE_SIZE) -> list[int]:
    """The ids of ``size`` of these replies spread evenly over their ids."""
    ids = list(replies.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) / size)
    return [ids[int(i * step)] for i in range(min(size, len(ids)))]
