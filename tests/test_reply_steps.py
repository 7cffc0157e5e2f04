"""A reply page reached from a large result links to the step pages, which find its previous and next reply when
followed: they land where the page's own links would, keep the search, and end on the listing."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.utils import translation

from replies.filters import ReplyFilter
from replies.models import Reply
from replies.reply_search import ReplySearch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("alias_table_read")]

SEARCHES = [
    {"q": "數碼港"}, {"q": "創新", "ordering": "-member"}, {"q": "資助 -數碼港", "head": "47"},
    {"q": "區塊鏈", "ordering": "question_serial"}, {"q": "1823", "ordering": "-serial"},
    {"head": "135", "ordering": "-question_serial"}, {"member": "陳振英"},
]


def result_urls(params: dict) -> list[str]:
    search = ReplySearch.from_filterset(ReplyFilter(params, queryset=Reply.objects.all()))
    ids = list(search.replies.values_list("pk", flat=True))
    found = Reply.objects.select_related("year").in_bulk(ids)
    with translation.override("en"):
        return [found[pk].get_absolute_url() for pk in ids]  # /en/replies/…


def links(html: str) -> dict[str, str]:
    """{"previous": href, "next": href} of the page's neighbours navigation, with each link's rel."""
    nav = re.search(r'<nav class="neighbours.*?</nav>', html, re.S)
    found = re.findall(r'<li class="neighbours__(previous|next)"><a href="([^"]+)"( rel="\w+")?>', nav.group(0))
    return {direction: href.replace("&amp;", "&") + rel for direction, href, rel in found}


@pytest.mark.parametrize("params", SEARCHES, ids=lambda params: urlencode(params))
def test_the_step_pages_land_where_the_page_links_at_both_ends_and_between(client, monkeypatch, params):
    urls = result_urls(params)
    assert len(urls) >= 3
    suffix = "?" + urlencode(params)
    listing = "/en/replies/" + suffix
    for position in (0, 1, len(urls) // 2, len(urls) - 1):
        url = urls[position]
        inline = links(client.get(url, params).content.decode())
        expected = {"previous": urls[position - 1] + suffix + ' rel="prev"' if position else None,
                    "next": urls[position + 1] + suffix + ' rel="next"' if position + 1 < len(urls) else None}
        assert inline == {direction: href for direction, href in expected.items() if href}
        with monkeypatch.context() as lowered:
            lowered.setattr("replies.reply_search.INLINE_NEIGHBOURS_LIMIT", 0 if "q" in params else -1)
            steps = links(client.get(url, params).content.decode())
        if "q" not in params:  # without a search the neighbours come from indexes, whatever the result's size
            assert steps == inline
            continue
        assert steps == {direction: f"{url}{direction}/{suffix}" for direction in ("previous", "next")}  # no rel
        for direction, href in steps.items():
            response = client.get(href)
            assert response.status_code == 302
            assert response["Location"] == (expected[direction] or listing).removesuffix(f' rel="{direction[:4]}"')


def test_past_either_end_the_listing_says_so(client):
    urls = result_urls({"q": "數碼港"})
    response = client.get(f"{urls[-1]}next/", {"q": "數碼港"}, follow=True)
    assert response.redirect_chain == [("/en/replies/?q=%E6%95%B8%E7%A2%BC%E6%B8%AF", 302)]
    assert "That was the last result." in response.content.decode()
    html = client.get(f"{urls[0].removeprefix('/en')}previous/", {"q": "數碼港"}, follow=True).content.decode()
    assert "這已是第一個結果。" in html


def test_a_step_with_a_bad_parameter_or_no_such_reply_says_what_is_wrong(client):
    url = result_urls({})[5]
    response = client.get(f"{url}next/", {"q": "數碼港", "head": "one"})
    assert response.status_code == 400 and "Enter a whole number." in response.content.decode()
    assert client.get("/en/replies/2023-24/ITIB999/next/", {"q": "數碼港"}).status_code == 404


def test_the_page_links_its_neighbours_up_to_the_limit_and_reads_no_texts_to_know(monkeypatch, django_assert_num_queries):
    def search(params):
        return ReplySearch.from_filterset(ReplyFilter(params, queryset=Reply.objects.all()))

    pinned = search({"q": '"區塊鏈"'})  # confirmed in texts and pinned: its count is known
    count = len(pinned.pinned_ids)
    monkeypatch.setattr("replies.reply_search.INLINE_NEIGHBOURS_LIMIT", count)
    assert pinned.has_cheap_neighbours()
    monkeypatch.setattr("replies.reply_search.INLINE_NEIGHBOURS_LIMIT", count - 1)
    with django_assert_num_queries(0):
        assert not pinned.has_cheap_neighbours()
    proven = search({"q": "數碼"})  # proven by its lexemes, not pinned: a probe of at most limit + 1 ids
    matches = proven.replies.count()
    assert proven.has_at_most(matches) and not proven.has_at_most(matches - 1)
    monkeypatch.setattr("replies.querysets.PINNED_LIMIT", 3)
    unpinned = search({"q": '"區塊鏈"'})  # too many to pin: more than PINNED_LIMIT, known without a probe
    with django_assert_num_queries(0):
        assert unpinned.pinned_ids is None and not unpinned.has_at_most(3)
