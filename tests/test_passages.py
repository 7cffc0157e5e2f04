"""Passages of long replies (search/passages.py): confirming a term in them finds exactly what the whole text finds.

The pure part checks the two promises the SQL relies on (every short occurrence lies inside one passage, and no
passage edge cuts a token); the database part searches long replies built so that passage edges fall on the
awkward places, against the oracle of tests/search_oracle.py.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection

from replies.models import Passage, Reply
from replies.querysets import PASSAGE_TABLE
from replies.search_index import index_replies
from search.chars import is_token_char
from search.passages import (
    PASSAGE_MIN_CHARS,
    PASSAGE_OVERLAP,
    PASSAGE_STEP,
    passage_spans,
    passages,
    passages_of,
)
from tests.search_oracle import save_indexed_reply
from tests.test_search_core_properties import contains_with_token_edges

PIECES = ("數碼港", "科學園", "web3", "ai", "iamsmart", ".gov.hk", " ", "，", "2023-24", "x", "生態圈",
          "1300")


def mixed_text(seed: int, length: int) -> str:
    rng = random.Random(seed)
    text = ""
    while len(text) < length:
        text += rng.choice(PIECES)
    return text


def test_the_sql_names_the_passage_models_table():
    assert Passage._meta.db_table == PASSAGE_TABLE


def test_a_short_text_has_no_passages_and_a_long_one_is_covered_end_to_end():
    assert passages_of("數碼港" * (PASSAGE_MIN_CHARS // 3)) == []
    text = mixed_text(1, 5 * PASSAGE_STEP)
    spans = passage_spans(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert passages_of(text) == passages(text) == [text[begin:end] for begin, end in spans]


@pytest.mark.parametrize("seed", range(5))
def test_every_occurrence_of_a_short_term_lies_inside_one_passage(seed):
    text = mixed_text(seed, 4 * PASSAGE_STEP + 37)
    spans = passage_spans(text)
    for start in range(len(text)):
        end = min(len(text), start + PASSAGE_OVERLAP)
        assert any(begin <= start and end <= stop for begin, stop in spans), (start, end)


@pytest.mark.parametrize("seed", range(5))
def test_no_passage_edge_cuts_a_token(seed):
    text = mixed_text(seed, 4 * PASSAGE_STEP)
    for begin, end in passage_spans(text):
        assert not (0 < begin and is_token_char(text[begin - 1]) and is_token_char(text[begin]))
        assert not (end < len(text) and is_token_char(text[end - 1]) and is_token_char(text[end]))


def test_a_token_longer_than_a_passage_widens_it_instead_of_being_cut():
    text = "數" * 450 + "a" * 1200 + "碼" * 900
    assert all(not (0 < begin < len(text) and text[begin - 1] == text[begin] == "a")
               for begin, _ in passage_spans(text))


@pytest.mark.parametrize("seed", range(3))
def test_a_term_is_in_some_passage_exactly_when_it_is_in_the_text(seed):
    """Token edges included: `ai` glued to a letter at a passage edge must not count as a whole word there."""
    rng = random.Random(seed)
    text = mixed_text(seed + 10, 3 * PASSAGE_STEP)
    pieces = passages(text)
    terms = [text[start : start + rng.randint(1, 12)] for start in (rng.randrange(len(text)) for _ in range(300))]
    terms += ["ai", "web3", "x", "3生", "hk2023", "gov.hk，", "xai"]
    for term in terms:
        in_text = contains_with_token_edges(text, term)
        assert any(contains_with_token_edges(piece, term) for piece in pieces) == in_text, term


# The database: long replies whose passage edges fall inside words and next to Latin letters.


def glued_reply_text() -> str:
    """Past every nominal passage start k * PASSAGE_STEP sits `xweb3生態圈` with `web3` starting at the cut."""
    text = ""
    while len(text) < 6 * PASSAGE_STEP:
        filler = "數碼港科學園" * PASSAGE_STEP
        text += filler[: PASSAGE_STEP - len(text) % PASSAGE_STEP - 1] + "x" + "web3生態圈"
    return text


def found(q: str) -> set[str]:
    return set(Reply.objects.search(q).values_list("serial", flat=True))


@pytest.mark.django_db
def test_a_long_reply_is_searched_in_its_passages_with_the_same_answers():
    text = glued_reply_text()
    reply = save_indexed_reply("PASS001", "問題", text)
    assert Reply.objects.get(pk=reply.pk).has_passages
    assert Passage.objects.filter(reply=reply).count() == len(passages_of(_search_text(reply))) > 5
    assert "PASS001" not in found("web3生態圈")  # every web3 is glued to the x before it
    assert found("xweb3生態圈") == {"PASS001"}
    assert found('"生態圈數碼港"') == {"PASS001"} and found('"3生態圈數碼"') == set()  # 3 is glued to web
    rng = random.Random(4)
    normalised = _search_text(reply)
    for start in [*(k * PASSAGE_STEP + d for k in range(1, 6) for d in (-3, -1, 0, 1)), *rng.sample(
            range(len(normalised) - 20), 20)]:
        term = normalised[start : start + 7]
        if "\n" not in term:
            assert "PASS001" in found(f'"{term}"'), term


@pytest.mark.django_db
def test_a_term_longer_than_the_overlap_is_confirmed_in_the_whole_text():
    text = "".join(f"第{n}段，數碼港與科學園合作推動創新。" for n in range(400))
    save_indexed_reply("PASS002", "問題", text)
    middle = PASSAGE_STEP * 2 - 60
    long_term = _search_text(Reply.objects.get(serial="PASS002"))[middle : middle + PASSAGE_OVERLAP + 50]
    assert "\n" not in long_term and len(long_term) > PASSAGE_OVERLAP
    assert found(f'"{long_term}"') == {"PASS002"}
    assert found(f'"{long_term}不存在"') == set()


@pytest.mark.django_db
def test_reindexing_replaces_passages_and_a_shortened_reply_loses_them():
    reply = save_indexed_reply("PASS003", "問題", glued_reply_text())
    before = Passage.objects.filter(reply=reply).count()
    index_replies(Reply.objects.filter(pk=reply.pk))
    assert Passage.objects.filter(reply=reply).count() == before > 5
    Reply.objects.filter(pk=reply.pk).update(reply="短答覆：web3生態圈")
    index_replies(Reply.objects.filter(pk=reply.pk))
    assert not Reply.objects.get(pk=reply.pk).has_passages and not Passage.objects.filter(reply=reply).exists()
    assert "PASS003" in found("web3生態圈")
    Reply.objects.filter(pk=reply.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM replies_passage WHERE reply_id = %s", [reply.pk])
        assert cursor.fetchone()[0] == 0


def _search_text(reply: Reply) -> str:
    return Reply.objects.filter(pk=reply.pk).values_list("search_text", flat=True).get()
