"""A listing page and an API page reach their results by shortcuts (the count told to the order, a phrase's
matches pinned by id, the count read with the page); whichever shortcut applies, a reader sees exactly the
replies, count and order that the plain ``search(q).by_relevance()`` gives."""

from __future__ import annotations

import pytest

from replies.models import Reply

pytestmark = pytest.mark.django_db

QUERIES = ["數碼港", "創新", '"數碼港"', "創新 科技", "InnoHK", '"iAM Smart"', "科技 -數碼港", "數碼港 OR 科學園"]


def plain_order(q: str) -> list[str]:
    return [r.serial for r in Reply.objects.search(q).by_relevance()]


def api_order(api, q: str) -> tuple[int, list[str]]:
    status, body = api("/api/replies/", q=q, page_size=500)
    assert status == 200
    return body["count"], [r["serial"] for r in body["results"]]


@pytest.mark.parametrize("limits", [(1_000, 5_000, 20_000, 100), (5, 10, 20, 0), (0, 1_000, 0, 0), (0, 0, 0, 0)])
@pytest.mark.parametrize("q", QUERIES)
def test_the_api_gives_the_plain_order_whatever_the_shortcut(api, monkeypatch, q, limits):
    """Small limits send even the bundled corpus down the paths taken at 200,000 replies: ts_rank skipped,
    the tier read per row or from the hashed set as the meta hits decide, the phrase not pinned."""
    for name, value in zip(("FULL_RANK_LIMIT", "ROW_TIER_LIMIT", "PINNED_LIMIT", "ROW_TIER_ALWAYS"), limits):
        monkeypatch.setattr(f"replies.querysets.{name}", value)
    expected = plain_order(q)
    assert expected and api_order(api, q) == (len(expected), expected)


def test_a_pinned_phrase_keeps_its_filters(api):
    """A member filter with a phrase: the pinned ids are those of the filtered matches, not of the phrase alone."""
    everyone = api("/api/replies/", q='"數碼港"')[1]["count"]
    member = Reply.objects.search('"數碼港"').values_list("member__name", flat=True).first()
    expected = Reply.objects.search('"數碼港"').filter(member__name=member)
    status, body = api("/api/replies/", q='"數碼港"', member=member)
    assert status == 200 and body["count"] == expected.count() < everyone
    assert {r["serial"] for r in body["results"]} == set(expected.values_list("serial", flat=True))


def test_pages_without_a_query_count_with_the_page(api):
    """Serial order reads the count with the page: every page, the last and one past it agree with it."""
    total = Reply.objects.filter(head__number=155).count()
    status, first = api("/api/replies/", head=155, page_size=25)
    assert status == 200 and first["count"] == total > 25 and len(first["results"]) == 25
    pages = -(-total // 25)
    last = api("/api/replies/", head=155, page_size=25, page="last")[1]
    assert last["count"] == total and len(last["results"]) == total - 25 * (pages - 1)
    assert api("/api/replies/", head=155, page_size=25, page=pages)[1] == last
    status, beyond = api("/api/replies/", head=155, page_size=25, page=pages + 1)
    assert status == 404 and beyond["detail"]  # "Invalid page." in the reader's language
