"""Hostile search input: any string gives a result, an empty result or a 400 naming q, never an error,
and the user's text reaches PostgreSQL only as bound parameters."""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import quote, quote_from_bytes

import pytest
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from replies.models import Reply
from search import Query, parse_query
from search.query import MAX_QUERY_CHARS, compiled_regex

HOSTILE_FRAGMENTS = [
    "'; DROP TABLE replies_reply; --", "' OR '1'='1", "%", "_", "\\", "\\\\", "%s", "%(q)s", "$1", "::tsquery",
    ".*", "(?i)", "[^a]", "a{1,99999}", "(((", ")))", "|", "&", "!", ":*", "<->", "^$", "\x00", "\x07", "\u200b",
    "\ufeff", "\ud800", "\udfff", "𠀀", "𧵳", "😀", "Ａ", "＂", "\u3000", "－", '"', '"""', "OR", "AND", "-", "NOT",
    "數碼港", "数码港", "AI", "1 300", "<mark>", "</script>", "İ", "e\u0301", " ",
]
ANY_CHARACTER = st.characters(codec=None, exclude_categories=())  # lone surrogates and controls included
HOSTILE_TEXT = st.one_of(
    st.text(ANY_CHARACTER, max_size=60),
    st.lists(st.sampled_from(HOSTILE_FRAGMENTS) | st.text(ANY_CHARACTER, max_size=5), max_size=12).map("".join),
)
SERVER_TEXT = st.one_of(  # what an HTTP client can send: no lone surrogates (they cannot be encoded)
    st.text(max_size=60),
    st.lists(st.sampled_from([f for f in HOSTILE_FRAGMENTS if not re.search("[\ud800-\udfff]", f)]), max_size=12).map("".join),
)
LONG_QUERIES = ["數" * 10_000, "a " * 5_000, '"' * 10_000, "-" * 10_000, "OR " * 3_000, "\x00" * 10_000, "𠀀" * 10_000]
DB_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@given(HOSTILE_TEXT)
@settings(max_examples=1000, deadline=None)
@example("'; DROP TABLE replies_reply; --")
@example("\ud800數碼港\udfff")
def test_the_parser_reads_any_string_into_a_query(q):
    query = parse_query(q)
    assert isinstance(query, Query)
    for clause in query.clauses:
        for term in clause.terms:
            compiled_regex(term.verify_regex)  # the regex PostgreSQL gets compiles
            assert not re.search("[\x00\ud800-\udfff]", term.tsquery + term.verify_regex)
    assert query.display() is not None


@pytest.mark.parametrize("q", LONG_QUERIES)
def test_a_ten_thousand_character_query_is_read_up_to_the_cap(q):
    query = parse_query(q)
    assert query.truncated
    assert len(query.original) <= MAX_QUERY_CHARS


@contextmanager
def sql_sent():
    """Every (sql template, params) the connection executes, as given to the driver before binding."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield sent


def assert_parameterised(q: str, sent, baseline_sql: str) -> None:
    """The text is only in the parameters: the SQL has one placeholder per parameter and never the text.
    (A query of exclusions only sends nothing: Django knows the answer is empty.)"""
    for sql, params in sent:
        assert sql.count("%s") == len(params or ())
        needle = q.strip()
        if len(needle) >= 8 and needle not in baseline_sql:
            assert needle not in sql


@pytest.fixture(scope="module")
def baseline_sql(django_db_setup, django_db_blocker) -> str:
    """The SQL of an ordinary search: a query equal to a piece of it proves nothing either way."""
    with django_db_blocker.unblock(), sql_sent() as sent:
        list(Reply.objects.search('數碼港 OR AI -"iAM Smart"').by_relevance().values_list("pk", flat=True))
    return "\n".join(sql for sql, _ in sent)


@pytest.mark.django_db
@given(q=HOSTILE_TEXT)
@DB_SETTINGS
@example("'; DROP TABLE replies_reply; --")
@example("\\'; SELECT pg_sleep(10); --")
@example("%_%")
def test_the_search_layer_answers_any_string_with_bound_parameters(baseline_sql, q):
    with sql_sent() as sent:
        found = list(Reply.objects.search(q).by_relevance().values_list("pk", flat=True))
    assert_parameterised(q, sent, baseline_sql)
    assert len(found) <= 263
    assert Reply.objects.count() == 263  # nothing was dropped


@pytest.mark.django_db
@pytest.mark.parametrize("q", LONG_QUERIES)
def test_the_search_layer_takes_ten_thousand_characters(baseline_sql, q):
    with sql_sent() as sent:
        count = Reply.objects.search(q).count()
    assert_parameterised(q, sent, baseline_sql)
    assert 0 <= count <= 263


@pytest.mark.django_db
@given(q=SERVER_TEXT)
@DB_SETTINGS
@example("'; DROP TABLE replies_reply; --")
@example("x" * (MAX_QUERY_CHARS + 1))
def test_the_api_answers_any_q_with_results_or_a_400_naming_q(client, q):
    response = client.get("/api/replies/", {"q": q})
    assert response.status_code in (200, 400), response.content[:300]
    body = response.json()
    if response.status_code == 400:
        assert list(body) == ["q"] and body["q"]
    else:
        assert body["count"] == Reply.objects.search(q).count()


@pytest.mark.django_db
@given(q=SERVER_TEXT)
@DB_SETTINGS
@example("x" * 10_000)
@example("%00\\")
def test_the_listing_answers_any_q_with_a_page_or_a_400_naming_q(client, q):
    response = client.get("/replies/", {"q": q})
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "Traceback" not in page
    if response.status_code == 400:
        assert "(q)" in page


@pytest.mark.django_db
@given(raw=st.binary(max_size=40))
@DB_SETTINGS
@example(b"\xed\xa0\x80")  # a lone surrogate as (invalid) UTF-8
@example(b"\xff\xfe\x00")
def test_raw_bytes_in_q_are_read_or_refused_never_an_error(client, raw):
    for path in ("/api/replies/", "/replies/"):
        response = client.get(f"{path}?q={quote_from_bytes(raw)}")
        assert response.status_code in (200, 400), (path, raw)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/replies/", "/replies/", "/replies/export.csv", "/replies/feed/"])
def test_a_ten_thousand_character_q_is_refused_with_a_message(client, path):
    response = client.get(f"{path}?q={quote('數' * 10_000)}")
    assert response.status_code == 400
    assert "500" in response.content.decode()  # the limit is stated
