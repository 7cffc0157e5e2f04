"""Highlighting on the original text, across scripts, escaped: snippets for listings, marks for reply pages."""

from __future__ import annotations

import pytest
from django.utils.text import capfirst

from replies.highlighting import mark_text, reply_snippet
from replies.models import Reply
from search import parse_query
from tests.search_oracle import save_indexed_reply

pytestmark = pytest.mark.django_db

ITIB001_QUESTION = (
    "財政司司長提及，將在今年年底舉辦「國際綠色科技周」，匯聚相關產業代表、企業及投資者。"
    "請提供，「國際綠色科技周」預計所需人手及開支預算清單？"
)


def reply(serial: str) -> Reply:
    return Reply.objects.with_related().get(serial=serial)


def test_mark_text_marks_every_hit_in_the_original_script():
    assert mark_text(ITIB001_QUESTION, parse_query("国际绿色科技周 预算")) == (
        "財政司司長提及，將在今年年底舉辦「<mark>國際綠色科技周</mark>」，匯聚相關產業代表、企業及投資者。"
        "請提供，「<mark>國際綠色科技周</mark>」預計所需人手及開支<mark>預算</mark>清單？"
    )


def test_mark_text_without_a_query_only_escapes():
    assert mark_text("a < b & 數碼港", None) == "a &lt; b &amp; 數碼港"


def test_the_snippet_without_a_query_is_the_start_of_the_question():
    assert reply_snippet(reply("ITIB001"), None) == ITIB001_QUESTION
    assert reply_snippet(reply("ITIB001"), parse_query("((")) == ITIB001_QUESTION


def test_the_api_snippet_marks_cyberport_for_a_simplified_query(api):
    status, body = api("/api/replies/", q="数码港", page_size=1)
    assert body["results"][0]["highlight"] == (
        "《財政預算案》第79段提到，會為<mark>數碼港</mark>預留2.65億元，以推行支援及輔導智慧生活初創企業的培育計劃；"
        "以及預留5億元予<mark>數碼港</mark>推行「數碼轉型支援先導計劃」。換言之，政府單在今年的預算案，已為<mark>數碼港</mark>"
        "預留不少於7.65億元。就此，請政府告知本會： 1. 過去5個財政年度，政府對<mark>數碼港</mark>的撥款總數為何，並列出…"
    )


def test_a_hit_only_in_the_metadata_shows_that_field_with_its_label():
    member = capfirst(Reply._meta.get_field("member").verbose_name)
    assert reply_snippet(reply("ITIB064"), parse_query("葛珮帆")) == f"{member}：<mark>葛珮帆</mark>"
    officer = capfirst(Reply._meta.get_field("controlling_officer_title").verbose_name)
    snippet = reply_snippet(reply("ITIB157"), parse_query("黃志光"))
    assert snippet == f"{officer}：署理政府資訊科技總監（<mark>黃志光</mark>）"


def test_the_snippet_prefers_the_field_holding_more_terms():
    snippet = reply_snippet(reply("ITIB002"), parse_query("科學園 數碼港"))
    assert snippet.startswith("1. 過去三年，政府投入<mark>科學園</mark>和<mark>數碼港</mark>支持創新創業的資金總額是多少？")


def test_snippets_are_escaped_html_with_only_marks_added():
    saved = save_indexed_reply("HTML001", "<script>alert(1)</script> 數碼港 & <b>", "沒有。")
    snippet = reply_snippet(reply(saved.serial), parse_query("數碼港"))
    assert snippet == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>數碼港</mark> &amp; &lt;b&gt;"
