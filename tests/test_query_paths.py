"""A listing page and an API page reach their results by shortcuts (the count told to the order, a phrase's
matches pinned by id, the count read with the page); whichever shortcut applies, a reader sees exactly the
replies, count and order that the plain ``search(q).by_relevance()`` gives."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from replies.filters import ReplyFilter
from replies.models import CommonString, Reply
from replies.reply_search import ReplySearch

pytestmark = pytest.mark.django_db

# 區塊鏈 (19 replies) is no common string: excluded or OR-ed, its replies are read beforehand (resolved), unless
# PINNED_LIMIT is below their number
QUERIES = ["數碼港", "創新", '"數碼港"', "創新 科技", "InnoHK", '"iAM Smart"', "科技 -數碼港", "數碼港 OR 科學園",
           "創新 -區塊鏈", "區塊鏈 OR 數碼港", "科技 -數碼港 -區塊鏈"]


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


def test_a_pinned_phrase_is_counted_from_its_ids(client):
    """The ids a phrase was pinned to are its count: no COUNT statement reads them again. (區塊鏈 is in 19
    replies, too few to be a common string: its matches are confirmed in the texts.)"""
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/replies/", {"q": '"區塊鏈"', "page_size": 5}).json()
    assert body["count"] == Reply.objects.search('"區塊鏈"').count() > 5 and len(body["results"]) == 5
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


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


TOP_TIER_QUERIES = ["數碼港", "創新", "創新 科技", "InnoHK", "數碼港 OR 科學園", "局長", "創新 -數碼港", "創新 -區塊鏈",
                    "區塊鏈 OR 創新"]


@pytest.mark.parametrize("q", TOP_TIER_QUERIES)
def test_a_coarse_page_read_from_the_top_tier_is_the_plain_page(api, monkeypatch, q):
    """With every order coarse, pages of five read from the top tier (every term in member/question, newest
    first) or, past it, from all the matches, give exactly the plain order's slices."""
    monkeypatch.setattr("replies.querysets.FULL_RANK_LIMIT", 0)
    expected = plain_order(q)
    for page in (1, 2, 3, 4, 5, 6, 7, 8):
        status, body = api("/api/replies/", q=q, page_size=5, page=page)
        if status == 404:
            assert len(expected) <= 5 * (page - 1)
            break
        assert body["count"] == len(expected)
        assert [r["serial"] for r in body["results"]] == expected[5 * (page - 1) : 5 * page], page


def test_the_top_tier_is_read_when_it_fills_the_page_and_keeps_the_filters(client, monkeypatch):
    """創新 is in the question of 100 of the 263 replies: a first page of 20 comes from them; one member's
    replies hold fewer than 20 such, so that page comes from all her matches. Both equal the plain order."""
    monkeypatch.setattr("replies.querysets.FULL_RANK_LIMIT", 0)
    member = Reply.objects.search("創新").values_list("member__name", flat=True).first()
    for params, from_top_tier in (({"q": "創新"}, True), ({"q": "創新", "member": member}, False)):
        replies = Reply.objects.filter(member__name=member) if "member" in params else Reply.objects.all()
        top_tier = sum(1 for reply in replies.search("創新") if reply.rank >= 1)
        assert (top_tier >= 20) == from_top_tier
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/replies/", params)
        shown = [reply.serial for reply in response.context["page"].object_list]
        assert response.status_code == 200 and shown == [r.serial for r in replies.search("創新").by_relevance()][:20]
        statements = [query["sql"] for query in queries.captured_queries]
        page_statements = [sql for sql in statements if "top_tier" in sql or "ORDER BY" in sql and "LIMIT" in sql]
        assert ("top_tier" in page_statements[-1]) == from_top_tier  # else it was tried and gave way


def test_a_phrase_confirmed_in_the_texts_never_reads_the_top_tier(client, monkeypatch):
    monkeypatch.setattr("replies.querysets.FULL_RANK_LIMIT", 0)
    CommonString.objects.filter(text="创新科技").delete()  # so that the phrase is confirmed in the texts
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/replies/", {"q": '"創新科技"'})
    assert response.status_code == 200
    assert not any("top_tier" in query["sql"] for query in queries.captured_queries)
    assert [reply.serial for reply in response.context["page"].object_list] == plain_order('"創新科技"')[:20]


@pytest.mark.parametrize("q", ["創新 -數碼港", "創新 -區塊鏈"])
def test_an_exclusion_reads_the_top_tier_without_the_excluded_replies(client, monkeypatch, q):
    """An exclusion proven by its lexemes (數碼港, a common string) or read beforehand (區塊鏈) is tested from
    indexes, so the page still comes from the top tier, and none of its replies has the excluded term."""
    monkeypatch.setattr("replies.querysets.FULL_RANK_LIMIT", 0)
    excluded = q.split("-")[1]
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/replies/", {"q": q})
    shown = response.context["page"].object_list
    assert response.status_code == 200 and [reply.serial for reply in shown] == plain_order(q)[:20]
    assert any("top_tier" in query["sql"] for query in queries.captured_queries)
    assert not any(excluded in reply.question + reply.reply for reply in shown)


def test_a_rare_term_or_a_common_one_reads_the_tiers_with_either_in_the_question(client, monkeypatch):
    """區塊鏈 is in too few questions for a page of replies with both terms there (the top tier), so the page is
    read from the replies with either term in member/question, best tier first: the plain order's first page."""
    monkeypatch.setattr("replies.querysets.FULL_RANK_LIMIT", 0)
    q = "區塊鏈 OR 創新"
    both = sum(1 for reply in Reply.objects.search(q) if reply.rank >= 2)
    assert both < 20
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/replies/", {"q": q})
    assert [reply.serial for reply in response.context["page"].object_list] == plain_order(q)[:20]
    page_statements = [query["sql"] for query in queries.captured_queries if "top_tier" in query["sql"]]
    assert page_statements and " OR " in page_statements[-1]


@pytest.mark.parametrize("meta_hits_limit", [5_000, 0], ids=["sorted-while-pinned", "sorted-apart"])
@pytest.mark.parametrize("q", ['"區塊鏈"', '"創新科技"', "區塊鏈 創新"])
def test_a_coarse_page_of_a_pinned_search_is_the_plain_page(api, monkeypatch, q, meta_hits_limit):
    """A search pinned to its ids in the coarse relevance order pages by slicing them; with too many meta hits it
    is pinned unsorted and its pages are sorted apart: every page, either way, is the plain order's."""
    monkeypatch.setattr("replies.querysets.FULL_RANK_LIMIT", 0)
    monkeypatch.setattr("replies.querysets.PINNED_ORDER_META_HITS", meta_hits_limit)
    CommonString.objects.filter(text="创新科技").delete()  # so that the phrase is confirmed in the texts
    expected = plain_order(q)
    search = ReplySearch.from_filterset(ReplyFilter({"q": q}, queryset=Reply.objects.all()))
    assert search.pinned_ids is not None and search.pinned_in_coarse_order == bool(meta_hits_limit)
    shown = []
    for page in range(1, len(expected) // 4 + 2):
        with CaptureQueriesContext(connection) as queries:
            status, body = api("/api/replies/", q=q, page_size=4, page=page)
        assert status == 200 and body["count"] == len(expected)
        shown += [r["serial"] for r in body["results"]]
        sorted_apart = any(all(part in query["sql"] for part in ("= ANY(", "ORDER BY", "LIMIT"))
                           for query in queries.captured_queries)  # the pinned ids ordered by a statement of their own
        assert sorted_apart != bool(meta_hits_limit)
    assert shown == expected


def test_a_pinned_search_in_another_order_is_not_sorted_while_pinned():
    search = ReplySearch.from_filterset(ReplyFilter({"q": '"區塊鏈"', "ordering": "serial"}, queryset=Reply.objects.all()))
    assert search.pinned_ids is not None and not search.pinned_in_coarse_order
    assert [r.serial for r in search.replies] == sorted(Reply.objects.search('"區塊鏈"').values_list("serial", flat=True))
