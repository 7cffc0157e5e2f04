"""The portal's pages as a reader meets them: counts, facets, the laid-out reply, errors, languages, scripts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from replies.models import Member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("alias_table_read")]


def page(client, path, status=200, **params):
    response = client.get(path, params)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def text_of(html: str) -> str:
    """The visible text, tags removed and whitespace collapsed, for readable assertions."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def option_counts(html: str, name: str) -> dict[str, int]:
    select = re.search(rf'<select id="filter-{name}" name="{name}">(.*?)</select>', html, re.S).group(1)
    return {value: int(count) for value, count in re.findall(r'<option value="([^"]+)"[^>]*>.*?\((\d+)\)</option>', select)}


def test_home_says_what_the_portal_holds_and_offers_ways_in(client):
    html = page(client, "/en/")
    assert "263 replies by Controlling Officers" in html
    assert "2023-24: 263 replies" in text_of(html)
    assert "58 members asked questions" in html
    assert 'href="/en/heads/47/"' in html and "106 replies" in html
    assert 'href="/en/replies/?q=数码港"' in html  # an example search in Simplified


def test_listing_counts_every_reply_and_facets_count_within_the_results(client):
    html = page(client, "/en/replies/")
    assert "263 replies · showing 1–20" in text_of(html)
    assert option_counts(html, "head") == {"47": 106, "111": 1, "135": 95, "155": 61}
    assert sum(option_counts(html, "member").values()) == 263
    filtered = page(client, "/en/replies/", member="陳振英")
    assert "4 replies · showing 1–4" in text_of(filtered)
    assert option_counts(filtered, "head") == {"47": 3, "135": 1}
    assert option_counts(filtered, "year") == {"2023-24": 4}


def test_programme_facet_appears_within_the_chosen_head(client):
    assert 'name="programme"' not in page(client, "/en/replies/")
    html = page(client, "/en/replies/", head="155")
    assert option_counts(html, "programme") == {"1": 14, "2": 8, "3": 18, "4": 2, "5": 3, "6": 8}
    assert "8 replies" in text_of(page(client, "/en/replies/", head="155", programme="2"))


def test_a_search_in_simplified_marks_the_traditional_hits_and_keeps_the_state_in_links(client):
    html = page(client, "/en/replies/", q="数码港", member="陳振英")
    assert "1 reply · showing 1–1" in text_of(html)
    assert "<mark>數碼港</mark>" in html
    assert 'href="/en/replies/2023-24/ITIB157/?q=%E6%95%B0%E7%A0%81%E6%B8%AF&amp;member=%E9%99%B3%E6%8C%AF%E8%8B%B1"' in html
    assert 'value="relevance" selected' in html


def test_pages_and_ordering_follow_the_url(client):
    second = page(client, "/en/replies/", page="2", ordering="-serial")
    assert "263 replies · showing 21–40" in text_of(second)
    assert re.search(r'<ol class="result-list" start="21">\s*<li class="result">\s*<h3 class="result__title"><a href="[^"]*">ITIB243<', second)
    assert 'href="?ordering=-serial&amp;page=3"' in second and 'href="?ordering=-serial&amp;page=1"' in second


def test_an_empty_result_is_helpful_not_an_error(client):
    html = page(client, "/en/replies/", q="不存在的詞語組合", head="47")
    assert "0 replies" in text_of(html)
    assert "No reply matches." in html
    assert 'href="/en/replies/?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E8%A9%9E%E8%AA%9E%E7%B5%84%E5%90%88"' in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"head": "abc"}, "(head): Enter a whole number."),
        ({"year": "2023"}, "(year): A year looks like 2023-24."),
        ({"ordering": "price"}, "(ordering): Select a valid choice. price is not one of the available choices."),
        ({"page": "x"}, "The page must be a whole number, not “x”."),
        ({"page": "99"}, "There is no page 99: these results have 14 page(s)."),
    ],
)
def test_bad_listing_parameters_answer_400_saying_what_is_wrong(client, params, message):
    html = page(client, "/en/replies/", status=400, **params)
    assert message in text_of(html)
    assert "Please correct the request" in html


def test_the_listing_and_a_reply_cost_the_same_queries_whatever_their_size(client, django_assert_max_num_queries):
    def queries(path, **params):
        with CaptureQueriesContext(connection) as captured:
            client.get(path, params)
        return len(captured)

    queries("/en/replies/", q="數碼")  # the first search for a word also counts its meta hits (remembered)
    assert queries("/en/replies/") == queries("/en/replies/", q="數碼")
    assert queries("/en/replies/", member="陳振英") == queries("/en/replies/") + 1  # the member's id, looked up first
    # a term confirmed by reading texts (three characters) reads its matches' ids once first, then the same
    assert queries("/en/replies/", q="數碼港") == queries("/en/replies/", q="數碼") + 1
    with django_assert_max_num_queries(12):
        client.get("/en/replies/", {"head": "155", "programme": "3"})
    with django_assert_max_num_queries(9):  # three of them for its related replies (test_query_counts.py)
        client.get("/en/replies/2023-24/ITIB010/", {"q": "1823"})
    assert queries("/en/replies/2023-24/ITIB157/") + 1 == queries("/en/replies/2023-24/ITIB157/", member="陳振英")


def test_a_reply_shows_every_field_a_citation_and_its_tables(client):
    html = page(client, "/en/replies/2023-24/ITIB030/")
    text = text_of(html)
    for expected in ("Question serial", "LegCo internal reference", "Controlling officer", "Director of bureau", "Source"):
        assert expected in text
    row = re.search(r'<tr><th scope="row">來電數目</th>(.*?)</tr>', html).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["4 743 772", "4 648 551", "6 472 280"]


def test_the_citation_line_reads_as_a_clerk_would_cite_it(client):
    html = page(client, "/replies/2023-24/ITIB001/")
    assert "ITIB001（問題編號 2875）· 2023-24 年度開支預算 · 陳振英議員" in html


def test_a_reply_from_a_search_marks_the_terms_and_links_to_its_neighbours_in_the_results(client):
    html = page(client, "/en/replies/2023-24/ITIB157/", member="陳振英")
    assert 'href="/en/replies/2023-24/ITIB001/?member=%E9%99%B3%E6%8C%AF%E8%8B%B1" rel="prev"' in html
    assert 'href="/en/replies/2023-24/ITIB158/?member=%E9%99%B3%E6%8C%AF%E8%8B%B1" rel="next"' in html
    marked = page(client, "/en/replies/2023-24/ITIB010/", q="1823")
    assert '<caption id="table-1-name">(一) <mark>1823</mark>於過去4個年度' in marked  # the table's caption


def test_numbered_parts_are_laid_out_as_parts(client):
    html = page(client, "/en/replies/2023-24/ITIB010/")
    assert '<p class="part"><span class="part__label">(二)</span> 2020至2022年，1823接獲市民' in html


def test_unknown_reply_member_or_head_gives_a_helpful_404(client):
    assert "There is no reply ITIB999 in the year 2023-24." in page(client, "/en/replies/2023-24/ITIB999/", status=404)
    assert "There is no member number 999999." in page(client, "/en/members/999999/", status=404)
    assert "There is no reply" in page(client, "/en/replies/2023-24/IT%00IB/", status=404)
    html = page(client, "/en/heads/99999999999/", status=404)
    assert "There is no Head 99999999999 here." in html
    assert 'href="/en/replies/"' in html


def test_members_are_listed_with_their_counts_and_can_be_sorted(client):
    by_count = text_of(page(client, "/en/members/"))
    assert by_count.index("吳永嘉 19") < by_count.index("吳傑莊 15") < by_count.index("邱達根 13")
    by_name = page(client, "/en/members/", sort="name")
    assert 'aria-sort="ascending"' in by_name
    assert "Sort by one of -count, count, name, -name, not “x”." in text_of(page(client, "/en/members/", status=400, sort="x"))


def test_a_member_page_compares_with_the_median_and_charts_without_inline_styles(client):
    member = Member.objects.get(name="吳永嘉")
    html = page(client, f"/en/members/{member.pk}/")
    assert "19 questions · the median member asked 3.5 (of 58 members)" in text_of(html)
    assert re.search(r'<th scope="row">the median member</th><td class="number">3.5</td>.*?width="18.4"', html)
    assert re.search(r'<rect x="0" y="0" width="100(\.0)?" height="10"', html)


def test_head_47_shows_its_programmes_with_counts_and_the_reports_context_in_traditional(client):
    html = page(client, "/en/heads/47/")
    assert "本綱領的宗旨是為香港提供所需的資訊科技基建、標準、法律架構和人才" in html
    assert "Controlling Officer's Report in the Estimates 2024-25, published in Simplified Chinese" in html
    assert re.search(r'\(1\) 政府內部資訊科技的使用</h3>\s*<p><a href="[^"]+">\d+ repl', html)


def test_the_simplified_switch_sticks_and_converts_what_is_shown(client):
    response = client.get("/script/", {"to": "hans", "next": "/replies/2023-24/ITIB157/"})
    assert (response.status_code, response["Location"]) == (302, "/replies/2023-24/ITIB157/")
    html = page(client, "/replies/2023-24/ITIB157/")
    assert "数码港" in html and "數碼港" not in html
    assert '<html lang="zh-Hans">' in html
    client.get("/script/", {"to": "hant", "next": "/"})
    assert "數碼港" in page(client, "/replies/2023-24/ITIB157/")


def test_the_script_switch_refuses_other_sites_and_unknown_scripts(client):
    assert client.get("/script/", {"to": "hans", "next": "https://evil.example/"})["Location"] == "/"
    assert client.get("/script/", {"to": "latin"}).status_code == 400


def test_english_is_one_prefix_away_and_links_to_the_other_language(client):
    html = page(client, "/en/replies/")
    assert '<html lang="en">' in html
    assert 'href="/replies/"' in html and 'hreflang="zh-hant"' in html
    assert 'hreflang="en"' in page(client, "/replies/")


@pytest.mark.parametrize(
    "path",
    ["/", "/replies/?q=數碼港", "/replies/2023-24/ITIB010/", "/members/", "/heads/47/", "/replies/2023-24/X/"],
)
def test_pages_have_no_inline_script_style_or_handlers(client, path):
    html = client.get(path).content.decode()
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=|<script(?![^>]*\bsrc=)", html)


def test_in_simplified_the_switches_keep_their_own_names(client):
    client.get("/script/", {"to": "hans", "next": "/"})
    html = page(client, "/en/")
    assert ">繁體中文</a>" in html and ">繁體</a>" in html
