"""A reply far beyond PostgreSQL's tsvector limits (16,383 positions, 256 per lexeme) loses no match."""

from __future__ import annotations

import pytest
from django.db import connection

from replies.highlighting import mark_text, reply_snippet
from replies.models import Reply
from search import parse_query, rank_words
from tests.search_oracle import save_indexed_reply

pytestmark = pytest.mark.django_db

PARAGRAPH = "本局推展數碼港培育計劃，支援初創企業發展。"  # 21 characters, 數碼港 once
REPEATS = 3000
ENDING = "最後一段：數碼港終章計劃及孖展量子研究。"


@pytest.fixture
def long_reply() -> Reply:
    text = PARAGRAPH * REPEATS + ENDING
    assert len(text) > 60_000 and text.count("數碼港") == REPEATS + 1
    return save_indexed_reply("LONG001", "關於長篇答覆的問題。", text)


def found(q: str) -> set[str]:
    return set(Reply.objects.search(q).values_list("serial", flat=True))


def test_the_last_occurrence_of_a_frequent_term_is_found(long_reply):
    assert "LONG001" in found("數碼港")
    assert found("數碼港終章") == {"LONG001"}  # only the 3,001st occurrence is followed by 終章
    assert found('"港終章計劃"') == {"LONG001"}


def test_a_term_past_position_16383_is_found_and_ranked(long_reply):
    words_before = len(rank_words("關於長篇答覆的問題。" + PARAGRAPH * REPEATS))
    assert words_before > 16_383
    assert found("孖展量子") == {"LONG001"}
    ranked = Reply.objects.search("孖展量子").get(serial="LONG001")
    assert ranked.rank >= 0  # ranking may lose the tail's positions, never the match


def test_the_vectors_respect_postgresql_limits(long_reply):
    with connection.cursor() as cursor:
        cursor.execute(
            "select array_length(tsvector_to_array(match_vector), 1), "
            "(select max(array_length(positions, 1)) from unnest(rank_vector)) from replies_reply where serial = %s",
            ["LONG001"],
        )
        lexemes, most_positions = cursor.fetchone()
    assert lexemes > 30 and most_positions == 256


def test_every_occurrence_is_marked_and_the_snippet_finds_the_end(long_reply):
    marked = mark_text(long_reply.reply, parse_query("数码港"))
    assert marked.count("<mark>數碼港</mark>") == REPEATS + 1
    snippet = reply_snippet(Reply.objects.with_related().get(serial="LONG001"), parse_query("數碼港終章"))
    assert snippet.startswith("…") and snippet.endswith("最後一段：<mark>數碼港終章</mark>計劃及孖展量子研究。")
