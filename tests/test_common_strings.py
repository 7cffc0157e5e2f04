"""Common strings (search/common_strings.py): searched by their own lexeme, never losing a reply.

The pure parts are checked against their plain definitions (every substring counted, every member tested with
``in``); the database parts against the invariant that makes a lexeme a proof: a reply whose text contains a
common string has it in its match vector, after an import, a bulk load and a refresh that adds strings.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from hypothesis import example, given
from hypothesis import strategies as st

from replies import common_strings
from replies.models import CommonString, Reply
from replies.search_index import index_replies
from search import parse_query
from search.chars import CJK_RUN
from search.common_strings import CommonStrings, candidates, frequent_strings, prove

# few characters, so that strings repeat across texts; newlines and a Latin letter cut CJK runs
texts = st.text(alphabet="數碼港科學園創新\na", max_size=40)


def plain_frequent_strings(texts: list[str], needed: float) -> set[str]:
    """Every CJK substring of 3 to 8 characters counted in every text: the definition."""
    counts = Counter()
    for text in texts:
        counts.update({run[i : i + n] for run in CJK_RUN.findall(text) for n in range(3, 9)
                       for i in range(len(run) - n + 1)})
    return {string for string, count in counts.items() if count >= needed}


@given(st.lists(texts, max_size=12), st.integers(1, 4))
@example(["數碼港數碼港", "港數碼港", "數碼港"], 2)
def test_frequent_strings_are_every_string_in_enough_texts(sample, min_count):
    found = frequent_strings(sample, min_share=0.25, min_count=min_count)
    assert found == plain_frequent_strings(sample, max(min_count, 0.25 * len(sample)))


@given(st.lists(st.text(alphabet="數碼港科學", min_size=3, max_size=8), max_size=6), texts)
@example(["數碼港", "數碼港科", "碼港科學園"], "數碼港科學園")
def test_found_in_is_every_member_the_text_contains(strings, text):
    strings = [s for s in strings if len(s) >= 3]
    assert CommonStrings(strings).found_in(text) == {s for s in strings if s in text}


def test_a_common_term_is_searched_by_its_own_lexeme_and_others_are_left_as_they_were():
    query = parse_query('數碼港 -科學園 "創新科技局" 數碼 AI港')
    inner = ["创新科", "创新科技", "新科技", "新科技局", "科技局"]  # asked for: a common one would narrow the candidates
    assert candidates(query) == sorted(["创新科技局", "数码港", "科学园", *inner])
    proven = prove(query, {"数码港", "科学园"})
    terms = {term.folded: term for clause in proven.clauses for term in clause.terms}
    assert (terms["数码港"].lexemes, terms["数码港"].needs_verify) == (("数码港",), False)
    assert (terms["科学园"].lexemes, terms["科学园"].negated, terms["科学园"].needs_verify) == (("科学园",), True, False)
    assert terms["创新科技局"].needs_verify and terms["创新科技局"].lexemes == ("创新", "新科", "科技", "技局")
    assert candidates(proven) == []  # checked once: a search does not ask again


def test_the_common_strings_inside_a_rarer_term_narrow_its_candidates():
    """創新科技局 itself is no common string, but 創新科技 and 科技局 are: a text with the term has both, so both
    are candidate lexemes, and the bigrams inside them are implied; the term is still confirmed in the text."""
    proven = prove(parse_query("創新科技局"), {"创新科技", "科技局", "创新科", "数码港"})
    (term,) = proven.positive_terms
    assert term.needs_verify and term.tsquery == "'创新科技' & '科技局'"
    assert term.passage_tsquery == "'创新' & '新科' & '科技' & '技局'"  # passages have no common-string lexemes
    assert prove(parse_query("創新科技局"), {"新科技"}).positive_terms[0].tsquery == "'新科技' & '创新' & '技局'"


def lexeme_missing(string: str) -> int:
    """How many replies contain ``string`` but lack its lexeme (the invariant says: none)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM replies_reply WHERE strpos(search_text, %s) > 0 "
                       "AND NOT match_vector @@ %s::tsquery", [string, f"'{string}'"])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_imported_replies_carry_every_common_string_they_contain():
    strings = list(CommonString.objects.values_list("text", flat=True))
    assert "数码港" in strings and "区块链" not in strings  # in 52 and in 19 of the 263 replies
    assert all(lexeme_missing(string) == 0 for string in strings[:: max(1, len(strings) // 60)])


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["數碼港", "数码港", "人工智能", "-數碼港 創新", "數碼港 OR 區塊鏈", "大灣區"])
def test_a_search_of_common_strings_finds_exactly_the_replies_containing_them(q):
    query = parse_query(q)
    expected = {pk for pk, text in Reply.objects.values_list("pk", "search_text") if query.matches(text)}
    assert set(Reply.objects.search(q).values_list("pk", flat=True)) == expected and expected


@pytest.mark.django_db
def test_a_refresh_adds_the_strings_now_common_and_indexes_the_replies_that_contain_them():
    index_replies(Reply.objects.all(), common=CommonStrings(()))  # as if the strings had never been drawn
    CommonString.objects.all().delete()
    assert lexeme_missing("数码港") == 52
    added = common_strings.refresh()
    assert added == CommonString.objects.count() > 100
    assert lexeme_missing("数码港") == lexeme_missing("人工智能") == 0
    assert Reply.objects.search("數碼港").count() == 52


@pytest.mark.django_db
def test_the_planner_is_told_what_testing_a_search_vector_costs():
    """Migration 0008: where the user may (a superuser: the embedded server), @@ costs what reading a vector costs,
    so broad searches are planned on the GIN index; elsewhere it is left as it was."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
        cursor.execute("SELECT procost FROM pg_proc WHERE proname = 'ts_match_vq'")
        assert cursor.fetchone()[0] == (1000 if superuser else 1)


def test_the_embedded_server_gets_a_quarter_of_memory_for_its_cache(monkeypatch):
    from portal.embedded_db.server import shared_buffers

    monkeypatch.setenv("PORTAL_PG_SHARED_BUFFERS", "256MB")
    assert shared_buffers() == "256MB"
    monkeypatch.delenv("PORTAL_PG_SHARED_BUFFERS")
    assert 128 <= int(shared_buffers().removesuffix("MB")) <= 2048
