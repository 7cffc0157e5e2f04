"""One request's search is one ReplySearch, and the listing's vocabulary is written once: every reader agrees."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from replies.filters import ReplyFilter
from replies.listing_vocabulary import LISTING_PARAMETERS, MAX_QUERY_LENGTH, ORDERINGS, PARAMETERS
from replies.models import Reply
from replies.pagination import IdFirstPaginator
from replies.reply_search import ReplySearch

pytestmark = pytest.mark.django_db


def search_of(params: dict, page=None) -> ReplySearch:
    return ReplySearch.from_filterset(ReplyFilter(params, queryset=Reply.objects.all()), page)


def test_a_pinned_search_knows_its_count_and_its_querysets_carry_nothing_of_it():
    search = search_of({"q": '"區塊鏈"'})  # 19 replies: too few to be a common string, so confirmed in texts
    expected = Reply.objects.search('"區塊鏈"').count()
    assert search.pinned_ids is not None and search.known_count == len(search.pinned_ids) == expected
    assert search.query.original == '"區塊鏈"'
    plain = set(vars(Reply.objects.all()))
    assert set(vars(search.replies)) == plain and set(vars(search.unsearched)) == plain


def test_a_search_without_q_is_not_pinned_and_its_count_is_unknown_until_given():
    search = search_of({"head": "47"})
    assert search.query is None and search.pinned_ids is None and search.known_count is None
    counted = search.with_count(12)
    assert counted.known_count == 12 and search.known_count is None  # the first search is unchanged


def test_the_page_of_a_search_is_the_page_it_was_made_for():
    search = search_of({"ordering": "-serial", "year": "2023-24"}, page="2")
    with CaptureQueriesContext(connection) as queries:
        page = IdFirstPaginator(search, 20).page(search.page_number)
    assert page.number == 2 and page.paginator.count == Reply.objects.count()
    assert [reply.serial for reply in page] == list(
        Reply.objects.order_by("-year__label", "-serial").values_list("serial", flat=True)[20:40]
    )
    assert len(queries) == 3  # the ids with the count, the page in full, its programmes


def test_neighbours_follow_the_search_order():
    search = search_of({"q": "數碼港", "ordering": "serial"})
    serials = list(search.replies.values_list("serial", flat=True))
    reply = Reply.objects.get(serial=serials[1])
    previous, following = search.neighbours(reply)
    assert (previous.serial, following.serial) == (serials[0], serials[2])


@pytest.mark.parametrize("coarse", [False, True], ids=["ranked", "coarse"])
@pytest.mark.parametrize("params", [
    {}, {"q": "數碼港"}, {"q": "創新"}, {"q": "資助 -數碼港", "ordering": "-member"}, {"q": "區塊鏈"},
    {"head": "135", "ordering": "-question_serial"}, {"ordering": "-serial"},
])
def test_neighbours_are_the_replies_before_and_after_in_every_order(monkeypatch, params, coarse):
    """Found by keys, checked against the whole result read in order, for every reply of it (coarse: the order
    of a result too large to rank by ts_rank, tier then newest first)."""
    if coarse:
        monkeypatch.setattr("replies.querysets.FULL_RANK_LIMIT", 0)
    search = search_of(params)
    ids = list(search.replies.values_list("pk", flat=True))
    assert len(ids) > 10
    replies = Reply.objects.in_bulk(ids)
    for position in sorted({0, 1, len(ids) // 2, len(ids) - 1, *range(0, len(ids), 37)}):
        previous, following = search.neighbours(replies[ids[position]])
        assert (previous and previous.pk) == (ids[position - 1] if position else None)
        assert (following and following.pk) == (ids[position + 1] if position + 1 < len(ids) else None)
    assert search_of({**params, "year": "2023-24"}).neighbours(Reply(pk=-1)) == (None, None)


def test_every_reader_takes_the_orderings_and_limits_from_the_vocabulary(client):
    assert [key for key, _label in ReplyFilter.base_filters["ordering"].extra["choices"]] == list(ORDERINGS)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/replies/"]["get"]["parameters"]}
    assert sorted(parameters["ordering"]["schema"]["enum"]) == sorted(ORDERINGS)  # the schema sorts them
    assert parameters["q"]["schema"]["maxLength"] == MAX_QUERY_LENGTH
    assert set(LISTING_PARAMETERS) < set(parameters)
    html = client.get("/en/replies/", {"q": "數碼港"}).content.decode()
    menu = re.search(r'<select id="filter-ordering" name="ordering">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="([^"]+)"', menu) == list(ORDERINGS)
    assert f'name="q" value="數碼港" maxlength="{MAX_QUERY_LENGTH}"' in html
    assert f'maxlength="{MAX_QUERY_LENGTH}"' in client.get("/en/").content.decode()


def test_a_bad_parameter_is_named_with_its_label_from_the_vocabulary(client):
    html = client.get("/en/replies/", {"programme": "one"}).content.decode()
    assert f"{PARAMETERS['programme'].label} (programme): Enter a whole number." in html
