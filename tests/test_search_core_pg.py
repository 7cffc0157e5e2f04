"""The search core's output checked by a real PostgreSQL (pgserver, an embedded server in a temp dir).

These tests pin down what the SQL layer may rely on: the tsvector/tsquery literals load as intended, the
verification regexes mean the same in PostgreSQL as in Python, and a candidate filter on a GIN-indexed
match_vector plus regex verification returns exactly the oracle's replies. Skipped without pgserver.
"""

from __future__ import annotations

import random
import re

import pytest

from search import make_term, match_lexemes, normalise_for_search, parse_query, rank_positions, tsvector_literal
from tests.test_search_core_properties import (
    EXAMPLES,
    corpus_lines,
    normalised_replies,
    oracle,
    random_fragment,
)

pgserver = pytest.importorskip("pgserver")
psycopg = pytest.importorskip("psycopg")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    try:
        server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="delete")
        connection = psycopg.connect(server.get_uri(), autocommit=True)
    except Exception as error:  # no embedded server on this machine: nothing to check against
        pytest.skip(f"embedded PostgreSQL unavailable: {error}")
    yield connection
    connection.close()
    server.cleanup()


def unnest(db, literal: str) -> dict[str, list[tuple[int, str]]]:
    rows = db.execute("select lexeme, positions, weights from unnest(%s::tsvector)", [literal]).fetchall()
    return {lexeme: list(zip(positions or [], weights or [])) for lexeme, positions, weights in rows}


def test_tsvector_literals_load_exactly(db):
    lexemes = {"it's", "back\\slash", "港", "数码", "𠀀", "web3", "a b"}
    assert set(unnest(db, tsvector_literal(lexemes))) == lexemes
    loaded = unnest(db, tsvector_literal({"a": [(2, "B"), (1, "A"), 99999], "b": range(1, 400)}))
    assert loaded["a"] == [(1, "A"), (2, "B"), (16383, "D")]
    assert [p for p, _ in loaded["b"]] == list(range(1, 257))


def test_rank_vectors_of_long_texts_load(db):
    long_text = "數碼港培育計劃 " * 20_000 + " 最後一詞"
    entries = rank_positions([("A", "陳振英"), ("D", long_text)])
    loaded = unnest(db, tsvector_literal(entries))
    assert loaded["陈振英"] == [(1, "A")]
    assert len(loaded["数码港"]) == 256 and "最后" in loaded
    match_vector = tsvector_literal(match_lexemes(normalise_for_search(long_text)))  # no positions: nothing lost
    assert db.execute("select %s::tsvector @@ %s::tsquery", [match_vector, "'最后' & '一词'"]).fetchone()[0]


def test_regexes_mean_the_same_in_postgresql(db):
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
    rows = db.execute("select t ~ r from unnest(%s::text[], %s::text[]) as x(t, r)", [texts, regexes]).fetchall()
    in_python = [re.search(regex, text) is not None for text, regex in pairs]
    assert [row[0] for row in rows] == in_python
    assert 0.3 * len(pairs) < sum(in_python) < 0.9 * len(pairs)


@pytest.fixture(scope="module")
def replies_table(db):
    db.execute("create temporary table reply (id int primary key, search_text text, match_vector tsvector)")
    with db.cursor() as cursor:
        cursor.executemany(
            "insert into reply values (%s, %s, %s::tsvector)",
            [(i, "\n".join(f), tsvector_literal(match_lexemes("\n".join(f)))) for i, f in enumerate(normalised_replies())],
        )
    db.execute("create index on reply using gin (match_vector)")
    return "reply"


def sql_for(query) -> tuple[str, list[str]]:
    """One way the SQL layer can run a Query: per term, candidate tsquery AND (when needed) the regex."""
    clauses, params = [], []
    for clause in query.clauses:
        alternatives = []
        for term in clause.terms:
            alternatives.append("(match_vector @@ %s::tsquery" + (" and search_text ~ %s)" if term.needs_verify else ")"))
            params += [term.tsquery] + ([term.verify_regex] if term.needs_verify else [])
        group = "(" + " or ".join(alternatives) + ")"
        clauses.append(f"not {group}" if clause.negated else group)
    return "select id from reply where " + " and ".join(clauses or ["true"]), params


def test_sql_candidate_filter_and_verification_are_exact(db, replies_table):
    rng = random.Random(155)
    queries = EXAMPLES + [random_fragment(rng, rng.choice(corpus_lines())) for _ in range(150)]
    replies = normalised_replies()
    for q in queries:
        query = parse_query(q)
        if query.is_empty:
            continue
        sql, params = sql_for(query)
        got = {row[0] for row in db.execute(sql, params).fetchall()}
        expected = {i for i, fields in enumerate(replies) if oracle(query, fields)}
        assert got == expected, q
