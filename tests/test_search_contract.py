"""The search contract others build on: Reply.objects.search, ReplyFilter's q and ordering, the API's highlight."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from replies.filters import ReplyFilter
from replies.models import Reply
from search import Query, parse_query
from tests.search_oracle import containing, found_by_search

pytestmark = pytest.mark.django_db


def serials(queryset) -> list[str]:
    return [reply.serial for reply in queryset]


def test_blank_query_returns_every_reply_with_rank_zero():
    for q in ["", "   ", None, "((", "&"]:
        results = Reply.objects.search(q)
        assert results.count() == 263, q
        assert {reply.rank for reply in results} == {0.0}


def test_exclusions_only_match_nothing():
    assert Reply.objects.search("-數碼港").count() == 0
    assert Reply.objects.search(parse_query("-數碼港 -AI")).count() == 0


def test_search_accepts_a_parsed_query_and_text_alike():
    assert found_by_search("數碼港") == set(Reply.objects.search(parse_query("数码港")).values_list("serial", flat=True))
    assert found_by_search("數碼港") == containing("數碼港")
    assert len(containing("數碼港")) == 52


def test_filter_defaults_to_relevance_with_q_and_serial_without():
    searched = ReplyFilter({"q": "數碼港"}, queryset=Reply.objects.all())
    results = list(searched.qs)
    assert isinstance(searched.search_query, Query) and searched.search_query.original == "數碼港"
    assert len(results) == 52
    assert [r.rank for r in results] == sorted((r.rank for r in results), reverse=True)
    unsearched = ReplyFilter({"ordering": "relevance"}, queryset=Reply.objects.all())
    assert serials(unsearched.qs)[:3] == ["ITIB001", "ITIB002", "ITIB003"]
    assert unsearched.search_query is None


def test_filter_ordering_can_override_relevance():
    by_member = ReplyFilter({"q": "數碼港", "ordering": "-serial"}, queryset=Reply.objects.all())
    got = serials(by_member.qs)
    assert got == sorted(got, reverse=True) and len(got) == 52


def test_q_combines_with_the_other_filters():
    combined = ReplyFilter({"q": "數碼港", "member": "葛珮帆"}, queryset=Reply.objects.all())
    expected = containing("數碼港") & set(Reply.objects.filter(member__name="葛珮帆").values_list("serial", flat=True))
    assert set(serials(combined.qs)) == expected


def test_api_q_too_long_is_a_400_with_a_message(api):
    status, body = api("/api/replies/", q="數" * 501)
    assert status == 400 and "500" in body["q"][0]
    status, body = api("/api/replies/", q="數" * 500)
    assert status == 200 and body["count"] == 0


def test_api_results_carry_the_highlight_only_with_q(api):
    status, body = api("/api/replies/", q="数码港", page_size=1)
    assert status == 200 and body["count"] == 52
    first = body["results"][0]
    assert first["serial"] == "ITIB023"
    assert first["highlight"].startswith("《財政預算案》第79段提到，會為<mark>數碼港</mark>預留2.65億元，")
    assert first["highlight"].count("<mark>數碼港</mark>") == 4
    status, body = api("/api/replies/", page_size=1)
    assert body["results"][0]["highlight"] is None


def test_api_ordering_relevance_is_accepted(api):
    status, body = api("/api/replies/", q="AI", ordering="relevance")
    assert status == 200 and [r["serial"] for r in body["results"]] == ["ITIB204", "ITIB097"]


def test_query_count_of_a_search_listing_does_not_grow_with_page_size(client):
    counts = []
    for size in (1, 10, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/replies/", {"q": "數碼港 OR 科學園", "page_size": size})
        assert response.status_code == 200 and len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_reindex_rebuilds_every_search_column():
    Reply.objects.filter(serial="ITIB023").update(search_text="", match_vector=None, meta_vector=None, rank_vector=None)
    assert "ITIB023" not in found_by_search("數碼港")
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert out.getvalue().startswith("reindexed 263 replies in ")
    assert found_by_search("數碼港") == containing("數碼港") and "ITIB023" in found_by_search("數碼港")
    assert Reply.objects.search("數碼港").by_relevance().first().serial == "ITIB023"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(alphabet=st.sampled_from(list('數碼港数AIai 1,3"-()&|!:*\'\\OR\x00\u3000Ｗ')), max_size=40) | st.text(max_size=40))
def test_any_query_answers_200_or_a_400_never_an_error(client, q):
    response = client.get("/api/replies/", {"q": q, "page_size": 2})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "\x00" in q and "q" in response.json()
    else:
        assert response.json()["count"] == Reply.objects.search(q.strip()).count()
