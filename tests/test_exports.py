"""Exports hold exactly the listing's replies: each file is opened with the library people's tools rely on
(csv, openpyxl, python-docx, json) and checked against the JSON API for the same query string."""

from __future__ import annotations

import csv
import io
import json

import docx
import openpyxl
import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation

from replies.exports import columns
from replies.exports import views as export_views
from replies.models import SourceFile

pytestmark = pytest.mark.django_db

SETS = {
    "search in Simplified": {"q": "数码港"},
    "member": {"member": "吳永嘉"},
    "head and programme": {"year": "2023-24", "head": "47", "programme": "3"},
    "whole year": {"year": "2023-24"},
}
EXPECTED_COUNTS = {"member": 19, "head and programme": 36, "whole year": 263}
EMPTY = {"member": "沒有這位議員"}
ENGLISH = "/en/replies/export."  # spreadsheet and Word labels follow the page's language
HEADER = [
    "year", "serial", "question serial", "member", "head number", "head", "subhead", "programmes",
    "controlling officer", "director of bureau", "question", "reply", "URL", "tables", "subject", "keywords",
    "information not provided",
]  # fmt: skip


def api_results(client, params: dict) -> list[dict]:
    body = client.get("/api/replies/", {**params, "page_size": 500}).json()
    assert body["count"] == len(body["results"])
    return body["results"]


def download(client, format: str, params: dict, path: str = "/replies/export."):
    response = client.get(f"{path}{format}", params)
    assert response.status_code == 200, response.content[:500]
    return response, b"".join(response.streaming_content)


def programmes_text(reply: dict) -> str:
    return "; ".join(f"({p['number']}) {p['name']}" for p in reply["programmes"])


@pytest.fixture(params=list(SETS), ids=list(SETS))
def reply_set(request, client):
    params = SETS[request.param]
    expected = api_results(client, params)
    if request.param in EXPECTED_COUNTS:
        assert len(expected) == EXPECTED_COUNTS[request.param]
    else:  # the search: some replies, not all, and the Traditional 數碼港 is found from Simplified
        assert 0 < len(expected) < 263
        assert all("數碼港" in r["question"] + r["reply"] + r["head"]["name"] for r in expected[:5])
    return params, expected


def test_csv_has_a_bom_and_one_row_per_reply_matching_the_api(client, reply_set):
    params, expected = reply_set
    response, body = download(client, "csv", params)
    assert isinstance(response, StreamingHttpResponse)  # streamed, not built in memory
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADER
    assert len(rows) - 1 == len(expected)
    for row, reply in zip(rows[1:], expected):
        record = dict(zip(HEADER, row))
        assert record["serial"] == reply["serial"]
        assert record["member"] == reply["member"]
        assert record["head number"] == str(reply["head"]["number"])
        assert record["programmes"] == programmes_text(reply)
        assert record["question"] == reply["question"]
        assert record["reply"] == reply["reply"]
        assert record["URL"] == f"http://testserver{reply['url']}"
        assert record["tables"] == str(len(reply["tables"]))


def test_xlsx_has_the_same_rows_a_frozen_bold_header_an_autofilter_and_a_summary(client, reply_set):
    params, expected = reply_set
    response, body = download(client, "xlsx", params, ENGLISH)
    assert isinstance(response, StreamingHttpResponse) and not isinstance(response, FileResponse)  # no temporary file
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Replies", "Tables", "About this export"]
    sheet = workbook["Replies"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{len(expected) + 1}"
    assert sheet["K2"].alignment.wrap_text
    assert [row[1] for row in rows[1:]] == [reply["serial"] for reply in expected]
    assert [row[10] for row in rows[1:]] == [reply["question"] for reply in expected]
    assert [row[11] for row in rows[1:]] == [reply["reply"] for reply in expected]
    assert [row[4] for row in rows[1:]] == [reply["head"]["number"] for reply in expected]
    assert [row[13] for row in rows[1:]] == [len(reply["tables"]) for reply in expected]
    # the Tables sheet: the same replies' tables, in the same order, numbered from 1 within each reply
    tables = [(row[1], row[2]) for row in workbook["Tables"].iter_rows(min_row=2, values_only=True)]
    assert list(dict.fromkeys(tables)) == [
        (reply["serial"], number) for reply in expected for number in range(1, len(reply["tables"]) + 1)]
    summary = {row[0]: row[1] for row in workbook["About this export"].iter_rows(values_only=True)}
    assert summary["Replies"] == len(expected)


def test_json_is_exactly_the_apis_reply_objects(client, reply_set):
    params, expected = reply_set
    response, body = download(client, "json", params)
    assert isinstance(response, StreamingHttpResponse)
    assert json.loads(body.decode("utf-8")) == expected


def test_docx_has_a_cover_a_list_and_each_reply_on_its_own_page(client, reply_set):
    params, expected = reply_set
    response, body = download(client, "docx", params, ENGLISH)
    document = docx.Document(io.BytesIO(body))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += ["\t".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    assert f"Replies: {len(expected)}" in texts
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Replies in this document"] + [f"{r['serial']}（{r['year']}）" for r in expected]
    for reply in expected:
        first_line = reply["question"].split("\n\n")[0].split("\n")[0]
        assert first_line.replace(" | ", "\t") in texts, reply["serial"]  # a table's line: cells a tab apart
        # (in loose lines or a Word table's row)
    assert _page_breaks(document) == len(expected)


def _page_breaks(document) -> int:
    return sum(len(p._p.xpath('.//w:br[@w:type="page"]')) for p in document.paragraphs)


def test_docx_pages_are_numbered(client):
    response, body = download(client, "docx", {"year": "2023-24", "member": "陳永光"})
    footer_xml = docx.Document(io.BytesIO(body)).sections[0].footer._element.xml
    assert "PAGE" in footer_xml and 'w:fldCharType="begin"' in footer_xml


@pytest.mark.parametrize("format", ["csv", "xlsx", "json", "docx"])
def test_an_empty_set_exports_cleanly(client, format):
    response, body = download(client, format, EMPTY, ENGLISH)
    if format == "csv":
        assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [HEADER]
    elif format == "xlsx":
        assert list(openpyxl.load_workbook(io.BytesIO(body))["Replies"].iter_rows(values_only=True)) == [tuple(HEADER)]
    elif format == "json":
        assert json.loads(body) == []
    else:
        assert "Replies: 0" in [p.text for p in docx.Document(io.BytesIO(body)).paragraphs]


def test_file_names_say_what_the_set_is(client):
    response, _ = download(client, "csv", {"year": "2023-24", "head": "47"})
    assert response["Content-Disposition"] == 'attachment; filename="replies-2023-24-head47.csv"'
    response, _ = download(client, "xlsx", {"member": "吳永嘉"})
    assert response["Content-Disposition"] == (
        "attachment; filename=\"replies-member.xlsx\"; filename*=UTF-8''replies-member-%E5%90%B3%E6%B0%B8%E5%98%89.xlsx"
    )


def test_bad_filters_get_a_400_naming_the_parameter(client):
    response = client.get("/replies/export.csv", {"head": "forty-seven"})
    assert response.status_code == 400
    assert "<code>head</code>" in response.content.decode()


def test_an_unknown_format_is_not_found(client):
    assert client.get("/replies/export.pdf").status_code == 404


def test_a_set_too_large_for_word_gets_a_message_and_the_formats_that_fit(client, monkeypatch):
    monkeypatch.setitem(export_views.LIMITS, "docx", 100)
    response = client.get("/en/replies/export.docx", {"year": "2023-24"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This set has 263 replies; a Word (DOCX) file holds at most 100." in page
    assert 'href="/en/replies/export.csv?year=2023-24"' in page
    assert 'href="/en/replies/export.docx?' not in page


def test_downloads_offer_each_year_with_its_count_and_import_date(client):
    response = client.get("/en/downloads/")
    assert response.status_code == 200
    page = response.content.decode()
    imported = SourceFile.objects.get(name="itib-2023-24.txt").imported_at
    assert '<th scope="row">2023-24</th>' in page and "<td>263</td>" in page
    assert timezone.localtime(imported).strftime("%Y-%m-%d %H:%M") in page
    assert 'href="/en/replies/export.csv?year=2023-24"' in page and 'href="/en/replies/export.json?year=2023-24"' in page
    response, body = download(client, "csv", {"year": "2023-24"})
    assert response["Content-Disposition"] == 'attachment; filename="replies-2023-24.csv"'
    assert len(list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))) == 264


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_url_column_is_what_reverse_gives_for_any_serial(rf, language):
    """The URL column puts plain serials into their year's URL instead of resolving each one: it must agree
    with reverse() for every serial, and resolve the others (spaces, Chinese, dots, %, ?) the slow way."""
    request = rf.get("/", secure=True)
    urls = columns.ReplyUrls(request.build_absolute_uri)
    serials = ["ITIB001", "CEDB(CIT)001", "ITIB001", "a.b~c_d-1", "A B", "..", ".", "項目1", "x%41", "a?b", "a#b"]
    with translation.override(language):
        for serial in serials:
            expected = request.build_absolute_uri(reverse("reply-detail", args=["2023-24", serial]))
            assert urls("2023-24", serial) == expected
