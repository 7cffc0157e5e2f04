"""The replies' tables in the exports, opened with the libraries people's tools rely on: a Word table at its
place in the reply (python-docx), the XLSX "Tables" sheet (openpyxl), the JSON export's ``tables`` (json).

The reconstruction is still being improved, so these check facts a reader can verify against the source: ITIB010's
staffing table has six header labels and the row 2019-20 | 8 | 440 | 120 | 1.34億元 | 1.68億元."""

from __future__ import annotations

import io
import json
import zipfile

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from replies.exports import tables_sheet, xlsx
from replies.models import Reply

pytestmark = pytest.mark.django_db

ITIB010_HEADER = [
    "年度", "實際公務員人數", "實際非公務員合約僱員人數（全職）", "實際非公務員合約僱員人數（兼職）", "員工薪酬開支",
    "營運開支(包括員工開支)",
]  # fmt: skip
ITIB010_ROW = ["2019-20", "8", "440", "120", "1.34億元", "1.68億元"]
WITH_ITIB010 = {"year": "2023-24", "member": "陳永光"}  # ITIB010 and two replies of the same member


def download(client, format: str, params: dict) -> bytes:
    response = client.get(f"/en/replies/export.{format}", params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def api_reply(client, serial: str) -> dict:
    return client.get(f"/api/replies/2023-24/{serial}/").json()


def body_items(document) -> list:
    """The document body in order: ("p", text) or ("table", rows of cell texts, the table)."""
    items = []
    for element in document.element.body:
        if element.tag == qn("w:p"):
            items.append(("p", docx.text.paragraph.Paragraph(element, document).text))
        elif element.tag == qn("w:tbl"):
            table = docx.table.Table(element, document)
            items.append(("table", [[cell.text for cell in row.cells] for row in table.rows], table))
    return items


# Word


def test_word_shows_itib010s_table_as_a_word_table_between_its_caption_and_the_next_paragraph(client):
    document = docx.Document(io.BytesIO(download(client, "docx", WITH_ITIB010)))
    items = body_items(document)
    position = next(i for i, item in enumerate(items) if item[0] == "table" and item[1][0] == ITIB010_HEADER)
    _, rows, table = items[position]
    assert ITIB010_ROW in rows and len(rows[0]) == 6
    caption = api_reply(client, "ITIB010")["tables"][0]["caption"]
    assert items[position - 1] == ("p", caption) and "如下" in caption  # the sentence that introduces it, just before
    assert items[position + 1][0] == "p" and items[position + 1][1].startswith("(二)")  # then the reply goes on
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated at the top of each page
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    data = next(row for row in table.rows if row.cells[0].text == "2019-20")
    assert data.cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT  # 440: a figure
    assert data.cells[0].paragraphs[0].alignment != WD_ALIGN_PARAGRAPH.RIGHT  # 2019-20: a year label
    assert not any(run.bold for run in data.cells[1].paragraphs[0].runs)
    # the table's source lines are not repeated as text
    texts = [item[1] for item in items if item[0] == "p"]
    assert not any("實際非公務員合約僱員人數" in text for text in texts)


def test_word_shows_a_table_whose_columns_were_not_recovered_as_its_lines_under_a_notice(client):
    reply = Reply.objects.get(year__label="2023-24", serial="ITIB010")
    rows = [["2019-20", "8 440 120", "1.34億元"], ["2020-21", "8 463 160", "1.41億元"]]
    reply.tables = [{**reply.tables[0], "reconstructed": False, "header": [], "rows": rows, "notes": ["註：示例。"]}]
    reply.save(update_fields=["tables"])
    items = body_items(docx.Document(io.BytesIO(download(client, "docx", WITH_ITIB010))))
    position = items.index(("p", "Table as published (columns could not be recovered)"))
    assert items[position - 1] == ("p", reply.tables[0]["caption"])
    assert items[position + 1] == ("p", "2019-20\t8 440 120\t1.34億元\n2020-21\t8 463 160\t1.41億元")
    assert items[position + 2] == ("p", "註：示例。")
    assert not any(item[0] == "table" and item[1][0] == ITIB010_HEADER for item in items)


# XLSX


def tables_sheet_rows(body: bytes) -> tuple[list[tuple], openpyxl.Workbook]:
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    return list(workbook.worksheets[1].iter_rows(values_only=True)), workbook


def test_the_tables_sheet_has_itib010s_caption_header_and_rows_with_its_serial_and_table_number(client):
    rows, workbook = tables_sheet_rows(download(client, "xlsx", WITH_ITIB010))
    assert rows[0][:6] == ("year", "serial", "table", "field", "row", "cells")
    itib010 = [row for row in rows if row[1] == "ITIB010"]
    assert {row[:4] for row in itib010} == {("2023-24", "ITIB010", 1, "reply")}
    kinds = [row[4] for row in itib010]
    assert kinds[:2] == ["caption", "header"] and set(kinds[2:]) == {"data"}
    assert itib010[0][5] == api_reply(client, "ITIB010")["tables"][0]["caption"]
    assert list(itib010[1][5:11]) == ITIB010_HEADER
    assert tuple(ITIB010_ROW) in [row[5:11] for row in itib010[2:]]
    sheet = workbook["Tables"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    header_row = next(cells for cells in sheet.iter_rows() if cells[1].value == "ITIB010" and cells[4].value == "header")
    assert header_row[5].font.bold
    data_row = next(cells for cells in sheet.iter_rows() if cells[1].value == "ITIB010" and cells[5].value == "2019-20")
    assert data_row[7].value == "440" and data_row[7].alignment.horizontal == "right"  # as printed, aligned as a figure
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{len(rows)}"


def test_the_tables_sheet_holds_every_table_of_the_whole_year_in_the_listings_order(client):
    rows, _ = tables_sheet_rows(download(client, "xlsx", {"year": "2023-24"}))
    api = client.get("/api/replies/", {"year": "2023-24", "page_size": 500}).json()["results"]
    expected = [(reply["serial"], number) for reply in api for number in range(1, len(reply["tables"]) + 1)]
    assert list(dict.fromkeys((row[1], row[2]) for row in rows[1:])) == expected
    not_recovered = [table for reply in api for table in reply["tables"] if not table["reconstructed"]]
    source_rows = [row for row in rows if row[4] == "source line"]
    assert len(source_rows) == sum(len(table["rows"]) for table in not_recovered)


def test_a_tables_sheet_that_fills_the_sheet_ends_with_a_row_saying_so(client, monkeypatch):
    monkeypatch.setattr(tables_sheet, "MAX_DATA_ROWS", 5)
    rows, _ = tables_sheet_rows(download(client, "xlsx", WITH_ITIB010))
    assert len(rows) == 6 and rows[-1][5] == "The sheet is full: the tables after this row are not in this file."


def test_a_tables_sheet_that_may_pass_4_gib_is_written_with_zip64_and_still_opens(client, monkeypatch):
    monkeypatch.setattr(xlsx, "ZIP32_MAX", 10_000)
    body = download(client, "xlsx", WITH_ITIB010)
    entry = zipfile.ZipFile(io.BytesIO(body)).getinfo("xl/worksheets/sheet2.xml")
    assert entry.extract_version == 45
    rows, _ = tables_sheet_rows(body)
    assert tuple(ITIB010_ROW) in [row[5:11] for row in rows]
    monkeypatch.undo()
    body = download(client, "xlsx", WITH_ITIB010)
    assert zipfile.ZipFile(io.BytesIO(body)).getinfo("xl/worksheets/sheet2.xml").extract_version < 45


def test_a_set_without_tables_has_a_tables_sheet_with_its_header_only(client):
    rows, _ = tables_sheet_rows(download(client, "xlsx", {"q": "ITIB001"}))
    assert api_reply(client, "ITIB001")["tables"] == []
    assert rows == [("year", "serial", "table", "field", "row", "cells")]


def test_the_tables_sheets_words_follow_the_pages_language(client):
    response = client.get("/replies/export.xlsx", WITH_ITIB010)
    rows, workbook = tables_sheet_rows(b"".join(response.streaming_content))
    assert workbook.sheetnames[1] == "表格"
    assert rows[0][:6] == ("年度", "編號", "表格編號", "部分", "列類別", "儲存格")
    itib010 = [row for row in rows if row[1] == "ITIB010"]
    assert [row[4] for row in itib010[:3]] == ["標題", "表頭", "數據"] and itib010[0][3] == "答覆"


# JSON


def test_the_json_export_carries_each_replys_tables_as_the_api_gives_them(client):
    exported = {reply["serial"]: reply for reply in json.loads(download(client, "json", WITH_ITIB010))}
    api = api_reply(client, "ITIB010")
    assert exported["ITIB010"]["tables"] == api["tables"]
    assert exported["ITIB010"]["tables"][0]["header"] == api["tables"][0]["header"] == ITIB010_HEADER
    assert ITIB010_ROW in exported["ITIB010"]["tables"][0]["rows"]
    assert "chunks" not in exported["ITIB010"]["tables"][0]  # the page's own key stays out
