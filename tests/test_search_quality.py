"""Search quality on the real replies: exactly the replies that contain a query, no more and no fewer.

The expected sets come from tests.search_oracle (plain substring scans of each normalised field), never from
the search code's lexemes, regexes or SQL.
"""

from __future__ import annotations

import random
import re

import opencc
import pytest

from search import normalise_for_search
from search.chars import is_cjk, is_token_char
from tests.search_oracle import containing, corpus, found_by_search

pytestmark = pytest.mark.django_db

SEED = 20230224
_TO_SIMPLIFIED = opencc.OpenCC("t2s")
_RAW_TOKEN = re.compile(r"[A-Za-z0-9]+")
_OPERATORS = {"or", "and"}


def _typable(fragment: str) -> bool:
    """A fragment a person would type as one term: no space or quote, no leading '-', not an operator, and
    beginning and ending with a character that can be searched (edge punctuation is trimmed by design)."""
    folded = normalise_for_search(fragment)
    if not folded or any(c.isspace() or c in '"“”' for c in fragment) or fragment.startswith("-"):
        return False
    edges_searchable = all(is_cjk(c) or is_token_char(c) for c in (folded[0], folded[-1]))
    return edges_searchable and folded not in _OPERATORS and len(folded) == len(fragment)


def draw_fragment(rng: random.Random) -> tuple[str, str]:
    """(fragment, serial of the reply it came from): 1 to 8 characters of a random field of a random reply."""
    while True:
        fields, _ = rng.choice(corpus())
        field = rng.choice(fields.raw_fields) if rng.random() < 0.3 else rng.choice([fields.question, fields.reply])
        if not field:
            continue
        start = rng.randrange(len(field))
        fragment = field[start : start + rng.randint(1, 8)]
        if _typable(fragment):
            return fragment, fields.serial


def draw_token(rng: random.Random) -> str:
    while True:
        fields, _ = rng.choice(corpus())
        tokens = [t for text in fields.raw_fields for t in _RAW_TOKEN.findall(text) if t.lower() not in _OPERATORS]
        if tokens:
            return rng.choice(tokens)


def random_queries(rng: random.Random) -> list[tuple[str, set[str]]]:
    """(query, expected serials): 240 fragments (every second one in Simplified), 60 Latin/number tokens,
    and 60 queries of two terms (AND, OR, exclusion)."""
    queries = []
    for index in range(240):
        fragment, _ = draw_fragment(rng)
        query = _TO_SIMPLIFIED.convert(fragment) if index % 2 else fragment
        queries.append((query, containing(query)))
    for _ in range(60):
        token = draw_token(rng)
        queries.append((token, containing(token)))
    for index in range(60):
        (a, _), (b, _) = draw_fragment(rng), draw_fragment(rng)
        if index % 3 == 0:
            queries.append((f"{a} {b}", containing(a, b)))
        elif index % 3 == 1:
            queries.append((f"{a} OR {b}", containing(a) | containing(b)))
        else:
            queries.append((f"{a} -{b}", containing(a, excluding=(b,))))
    return queries


def test_random_fragments_find_exactly_the_replies_containing_them():
    queries = random_queries(random.Random(SEED))
    expected_total = found_total = correct = 0
    wrong = []
    for query, expected in queries:
        found = found_by_search(query)
        expected_total += len(expected)
        found_total += len(found)
        correct += len(found & expected)
        if found != expected:
            wrong.append((query, sorted(expected - found)[:5], sorted(found - expected)[:5]))
    recall, precision = correct / expected_total, correct / found_total
    print(f"\n{len(queries)} random queries: recall {recall:.3f}, precision {precision:.3f}, "
          f"{expected_total} expected hits, {sum(1 for _, e in queries if not e)} queries with none")
    assert len(queries) >= 300
    assert wrong == []
    assert recall == precision == 1.0


def test_a_fragment_always_finds_the_reply_it_was_taken_from():
    rng = random.Random(SEED + 1)
    for _ in range(150):
        fragment, serial = draw_fragment(rng)
        if not (is_cjk(fragment[0]) and is_cjk(fragment[-1])):
            continue  # a Latin edge may cut a word in its source ('k/tc' of 'hk/tc'): whole tokens only
        assert serial in found_by_search(fragment), fragment
        simplified = _TO_SIMPLIFIED.convert(fragment)
        if normalise_for_search(simplified) == normalise_for_search(fragment):
            assert serial in found_by_search(simplified), simplified


def test_fragments_cross_word_boundaries():
    """The draw is not biased towards whole words: many fragments start or end inside a jieba word."""
    from search.segment import _segmenter

    rng = random.Random(SEED)
    texts = {fields.serial: texts for fields, texts in corpus()}
    crossing = multi = 0
    for _ in range(240):
        fragment, serial = draw_fragment(rng)
        folded = normalise_for_search(fragment)
        host = next(text for text in texts[serial] if folded in text)
        start = host.index(folded)
        boundaries = {edge for _, begin, end in _segmenter().tokenize(host) for edge in (begin, end)}
        multi += len(folded) > 1
        crossing += len(folded) > 1 and not {start, start + len(folded)} <= boundaries
    print(f"\n{crossing} of {multi} multi-character fragments start or end inside a jieba word")
    assert crossing > multi / 3
