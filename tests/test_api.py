"""The JSON API contract: every reply of the bundled file, exactly as the seed's index table says."""

from __future__ import annotations

import re

import pytest

from tests.seed_index import read_index_table

pytestmark = pytest.mark.django_db

ITIB001_QUESTION = (
    "財政司司長提及，將在今年年底舉辦「國際綠色科技周」，匯聚相關產業代表、企業及投資者。"
    "請提供，「國際綠色科技周」預計所需人手及開支預算清單？"
)
SPACED_CHINESE = re.compile(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]")
FOOTER = re.compile(r"第\s*\d+\s*節\s*ITIB\s*-\s*第\s*\d+\s*頁")
MARKERS = ("提問人", "答覆：", "– 完 –", "問題：", "管制人員的答覆")


def all_replies(api) -> list[dict]:
    status, body = api("/api/replies/", year="2023-24", page_size=500)
    assert status == 200
    assert body["count"] == len(body["results"])
    return body["results"]


def test_every_reply_matches_the_seed_index_table(api):
    index = read_index_table()
    results = all_replies(api)
    assert len(results) == 263
    for reply in results:
        row = index[reply["serial"]]
        assert reply["question_serial"] == row["question_serial"], reply["serial"]
        assert reply["member"] == row["member"], reply["serial"]
        assert reply["head"]["number"] == row["head"], reply["serial"]
        assert [(p["number"], p["name"]) for p in reply["programmes"]] == row["programmes"], reply["serial"]


def test_texts_are_clean(api):
    for reply in all_replies(api):
        for text in (reply["question"], reply["reply"]):
            assert text.strip(), reply["serial"]
            assert not FOOTER.search(text), reply["serial"]
            assert not SPACED_CHINESE.search(text), (reply["serial"], SPACED_CHINESE.search(text).group())
            assert not any(marker in text for marker in MARKERS), reply["serial"]


def test_one_reply_has_every_field(api):
    status, reply = api("/api/replies/2023-24/ITIB001/")
    assert status == 200
    assert reply["question"] == ITIB001_QUESTION
    assert reply["serial"] == "ITIB001"
    assert reply["year"] == "2023-24"
    assert reply["question_serial"] == 2875
    assert reply["member"] == "陳振英"
    assert reply["legco_reference"] == "23"
    assert reply["head"] == {"number": 135, "name": "政府總部：創新科技及工業局"}
    assert reply["subhead"] == ""
    assert reply["programmes"] == [{"number": 2, "name": "創新及科技"}]
    assert reply["controlling_officer"] == "創新科技及工業局常任秘書長（麥德偉）"
    assert reply["director_of_bureau"] == "創新科技及工業局局長"
    assert reply["url"] == "/replies/2023-24/ITIB001/"
    assert reply["reply"].startswith("政府將在今年年底舉辦「國際綠色科技周」")


def test_the_reply_url_serves_its_page(client, api):
    _, reply = api("/api/replies/2023-24/ITIB263/")
    assert client.get(reply["url"]).status_code == 200


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"head": 111}, 1),
        ({"head": 47}, 106),
        ({"head": 155, "programme": 6}, 8),
        ({"member": "周浩鼎"}, 9),
        ({"year": "2022-23"}, 0),
        ({"member": "nobody"}, 0),
    ],
)
def test_filters(api, params, expected):
    status, body = api("/api/replies/", **params)
    assert status == 200
    assert body["count"] == expected


def test_pages_and_their_links(api):
    status, first = api("/api/replies/", page_size=100)
    assert status == 200 and len(first["results"]) == 100 and first["previous"] is None
    _, last = api("/api/replies/", page_size=100, page=3)
    assert len(last["results"]) == 63 and last["next"] is None
    serials = [r["serial"] for r in first["results"]]
    assert serials == sorted(serials)


@pytest.mark.parametrize(
    "params",
    [
        {"head": "abc"},
        {"head": "99999999999999999999"},
        {"year": "1800-1"},
        {"page": "0"},
        {"page": "-1"},
        {"page_size": "1000000"},
        {"page_size": "0"},
        {"ordering": "password"},
        {"member": "a\x00b"},
    ],
)
def test_invalid_parameters_are_a_400_with_a_message(api, params):
    status, body = api("/api/replies/", **params)
    assert status == 400
    assert body  # names the parameter and what is wrong


def test_a_page_past_the_end_is_a_404(api):
    status, _ = api("/api/replies/", page=10**9)
    assert status == 404


def test_unknown_reply_is_a_404(api):
    assert api("/api/replies/2023-24/ITIB999/")[0] == 404
    assert api("/api/replies/1999-00/ITIB001/")[0] == 404


def test_a_reply_carries_its_tables_as_data(api):
    """ITIB010's table as the PDF prints it (read from the source by hand): six columns, a two-level header."""
    status, reply = api("/api/replies/2023-24/ITIB010/")
    assert status == 200
    [table] = reply["tables"]
    assert set(table) == {"field", "caption", "header", "rows", "notes", "reconstructed", "source_lines"}
    assert table["field"] == "reply"
    assert table["reconstructed"] is True
    assert table["caption"].endswith("以及2023-24年度的相關預算如下：")
    assert table["header"] == ["年度", "實際公務員人數", "實際非公務員合約僱員人數（全職）",
                               "實際非公務員合約僱員人數（兼職）", "員工薪酬開支", "營運開支(包括員工開支)"]
    assert table["rows"][0] == ["2019-20", "8", "440", "120", "1.34億元", "1.68億元"]
    assert [row[0] for row in table["rows"]] == ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]


def test_the_listing_carries_tables_too(api):
    status, body = api("/api/replies/", q="1823聯絡中心", page_size=50)
    assert status == 200
    by_serial = {reply["serial"]: reply for reply in body["results"]}
    assert by_serial["ITIB010"]["tables"][0]["rows"][-1][0] == "2023-24"
    assert all(isinstance(reply["tables"], list) for reply in body["results"])
