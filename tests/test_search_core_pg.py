"""The search core's output checked by the real PostgreSQL of the test database.

These tests pin down what the SQL layer relies on: the tsvector/tsquery literals load as intended and the
verification regexes mean the same in PostgreSQL as in Python. That the SQL layer returns exactly the replies
containing a query is checked on the imported replies by tests/test_search_quality.py.
"""

from __future__ import annotations

import random
import re

import pytest
from django.db import connection

from search import make_term, match_lexemes, normalise_for_search, rank_positions, tsvector_literal
from tests.test_search_core_properties import EXAMPLES, corpus_lines, random_fragment

pytestmark = pytest.mark.django_db


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def unnest(literal: str) -> dict[str, list[tuple[int, str]]]:
    rows = fetch("select lexeme, positions, weights from unnest(%s::tsvector)", [literal])
    return {lexeme: list(zip(positions or [], weights or [])) for lexeme, positions, weights in rows}


def test_tsvector_literals_load_exactly():
    lexemes = {"it's", "back\\slash", "港", "数码", "𠀀", "web3", "a b"}
    assert set(unnest(tsvector_literal(lexemes))) == lexemes
    loaded = unnest(tsvector_literal({"a": [(2, "B"), (1, "A"), 99999], "b": range(1, 400)}))
    assert loaded["a"] == [(1, "A"), (2, "B"), (16383, "D")]
    assert [p for p, _ in loaded["b"]] == list(range(1, 257))


def test_rank_vectors_of_long_texts_load():
    long_text = "數碼港培育計劃 " * 20_000 + " 最後一詞"
    entries = rank_positions([("A", "陳振英"), ("D", long_text)])
    loaded = unnest(tsvector_literal(entries))
    assert loaded["陈振英"] == [(1, "A")]
    assert len(loaded["数码港"]) == 256 and "最后" in loaded
    match_vector = tsvector_literal(match_lexemes(normalise_for_search(long_text)))  # no positions: nothing lost
    assert fetch("select %s::tsvector @@ %s::tsquery", [match_vector, "'最后' & '一词'"]) == [(True,)]


def test_regexes_mean_the_same_in_postgresql():
    rng = random.Random(17)
    lines = corpus_lines()
    fragments = EXAMPLES + [r"a.b*c+d?e(f)g[h]i{j}k|l^m$n\o#p&q~r-s", "(2)", "$28", "1+", "𠀀字"]
    fragments += [random_fragment(rng, rng.choice(lines)) for _ in range(300)]
    pairs = []
    for term in filter(None, (make_term(f, is_phrase=True) for f in fragments)):
        host = normalise_for_search(rng.choice(lines))
        cut = rng.randrange(len(host) + 1)
        pairs.append((host[:cut] + term.folded + host[cut:], term.verify_regex))  # often a hit, edges vary
        pairs.append((normalise_for_search(rng.choice(lines)), term.verify_regex))  # usually not
    texts, regexes = map(list, zip(*pairs))
    rows = fetch("select t ~ r from unnest(%s::text[], %s::text[]) as x(t, r)", [texts, regexes])
    in_python = [re.search(regex, text) is not None for text, regex in pairs]
    assert [row[0] for row in rows] == in_python
    assert 0.3 * len(pairs) < sum(in_python) < 0.9 * len(pairs)
