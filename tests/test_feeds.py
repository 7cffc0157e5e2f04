"""The Atom feed of a listing, read with feedparser as a feed reader would, against the JSON API."""

from __future__ import annotations

import feedparser
import pytest
from django.template.loader import render_to_string
from django.utils import translation

from replies.feeds import FEED_SIZE

pytestmark = pytest.mark.django_db


def api_serials(client, params: dict) -> list[str]:
    return [reply["serial"] for reply in client.get("/api/replies/", {**params, "page_size": 500}).json()["results"]]


def read_feed(client, params: dict, path: str = "/replies/feed/"):
    response = client.get(path, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10" and not feed.bozo
    return feed


def entry_serial(entry) -> str:
    return entry.id.rsplit(":", 1)[1]


def test_a_members_feed_lists_their_replies_in_the_listings_order(client):
    feed = read_feed(client, {"member": "吳永嘉"})
    assert [entry_serial(entry) for entry in feed.entries] == api_serials(client, {"member": "吳永嘉"})
    assert len(feed.entries) == 19
    first = feed.entries[0]
    assert first.author == "吳永嘉"
    assert first.link == f"http://testserver/replies/2023-24/{entry_serial(first)}/"
    assert first.title.startswith(f"{entry_serial(first)}（2023-24）吳永嘉：")
    assert feed.feed.title.endswith(": 吳永嘉")


def test_a_search_in_simplified_feeds_the_listings_replies(client):
    feed = read_feed(client, {"q": "数码港"})
    expected = api_serials(client, {"q": "数码港"})
    assert 0 < len(expected) < 263
    assert [entry_serial(entry) for entry in feed.entries] == expected[:FEED_SIZE]


def test_the_whole_year_is_capped_at_the_feed_size(client):
    feed = read_feed(client, {"year": "2023-24"}, "/en/replies/feed/")
    assert len(feed.entries) == FEED_SIZE == 100
    assert entry_serial(feed.entries[0]) == "ITIB001"
    assert feed.entries[0].summary.startswith("財政司司長提及，將在今年年底舉辦「國際綠色科技周」")
    assert "263 replies match" in feed.feed.subtitle


def test_an_empty_listing_gives_an_empty_feed(client):
    assert read_feed(client, {"member": "沒有這位議員"}).entries == []


def test_a_bad_filter_is_a_400_not_an_empty_feed(client):
    response = client.get("/replies/feed/", {"programme": "-1"})
    assert response.status_code == 400
    assert "<code>programme</code>" in response.content.decode()


@translation.override("en")
def test_pages_advertise_the_feed_for_their_query():
    html = render_to_string("includes/feed_link.html", {"feed_params": "member=%E5%90%B3&head=47"})
    assert html.strip() == (
        '<link rel="alternate" type="application/atom+xml" title="Atom feed of these replies" '
        'href="/en/replies/feed/?member=%E5%90%B3&amp;head=47">'
    )
