"""The streamed XLSX export as a user meets it: the download starts at once, the file opens (zipfile's CRC checks,
openpyxl in both modes), text stays text, long replies are cut with a note, a full sheet is the limit."""

from __future__ import annotations

import io
import struct
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from replies.exports import views as export_views
from replies.exports import xlsx
from replies.exports.selection import listing_selection
from replies.exports.xlsx_parts import EXCEL_CELL_LIMIT, TRUNCATED_NOTE

ZIP32_MAX = 0xFFFF_FFFF
from replies.models import Reply

pytestmark = pytest.mark.django_db

YEAR = {"year": "2023-24"}
FORMULA = '=HYPERLINK("http://example.com","click")'


def download(client, params: dict, path: str = "/en/replies/export.xlsx") -> tuple[StreamingHttpResponse, bytes]:
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:500] if not response.streaming else ""
    return response, b"".join(response.streaming_content)


def opened(body: bytes, read_only: bool = False) -> openpyxl.Workbook:
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None  # every entry's CRC and length check out
    return openpyxl.load_workbook(io.BytesIO(body), read_only=read_only)


def row_of(sheet, serial: str) -> tuple:
    return next(row for row in sheet.iter_rows(values_only=True) if row[1] == serial)


def test_the_response_streams_a_named_file_and_starts_before_any_reply_is_read(client):
    params = {"year": "2023-24", "head": "47"}
    count = client.get("/api/replies/", params).json()["count"]
    response = client.get("/en/replies/export.xlsx", params)
    assert isinstance(response, StreamingHttpResponse) and not isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="replies-2023-24-head47.xlsx"'
    pieces = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(pieces)
    assert first.startswith(b"PK\x03\x04") and len(queries) == 0  # bytes go out before the database is asked
    body = first + b"".join(pieces)
    assert len(list(opened(body)["Replies"].iter_rows())) == count + 1  # the replies and the header


@pytest.mark.parametrize("read_only", [False, True])
def test_the_file_opens_with_a_bold_frozen_header_wrapped_cells_and_column_widths(client, read_only):
    response, body = download(client, YEAR)
    workbook = opened(body, read_only)
    assert workbook.sheetnames == ["Replies", "Tables", "About this export"]
    rows = list(workbook["Replies"].iter_rows(values_only=True))
    assert len(rows) == 264 and rows[0][:3] == ("year", "serial", "question serial")
    if read_only:
        return
    sheet = workbook["Replies"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:Q264"
    assert sheet["A1"].font.bold and sheet["A1"].alignment.wrap_text
    assert sheet["L2"].alignment.wrap_text and sheet["L2"].alignment.vertical == "top" and not sheet["L2"].font.bold
    assert sheet.column_dimensions["L"].width == 90 and sheet.column_dimensions["A"].width == 9
    about = workbook["About this export"]
    assert about["A1"].font.bold and about.column_dimensions["B"].width == 80


def test_numbers_are_numbers_and_text_starting_with_equals_stays_text(client):
    Reply.objects.filter(year__label="2023-24", serial="ITIB001").update(question=FORMULA)
    response, body = download(client, YEAR)
    sheet = opened(body)["Replies"]
    row = next(cells for cells in sheet.iter_rows(min_row=2) if cells[1].value == "ITIB001")
    assert row[10].value == FORMULA and row[10].data_type == "s"  # a string, never a formula
    assert isinstance(row[2].value, int) and row[2].data_type == "n"  # question serial
    assert isinstance(row[4].value, int) and row[4].data_type == "n"  # head number
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(body)).read("xl/worksheets/sheet1.xml")


def test_an_over_long_reply_is_cut_with_a_note_and_forbidden_characters_are_dropped(client):
    Reply.objects.filter(year__label="2023-24", serial="ITIB002").update(reply="答" * 40_000)
    Reply.objects.filter(year__label="2023-24", serial="ITIB003").update(question="ab\x0bc\x1f\ufffed & <e>\r\n")
    response, body = download(client, YEAR)
    sheet = opened(body)["Replies"]
    cut = row_of(sheet, "ITIB002")[11]
    assert len(cut) == EXCEL_CELL_LIMIT and cut.endswith(TRUNCATED_NOTE) and cut.startswith("答" * 100)
    assert row_of(sheet, "ITIB003")[10] == "abcd & <e>\r\n"


def test_sheet_names_and_header_follow_the_pages_language(client):
    response, body = download(client, YEAR, path="/replies/export.xlsx")
    workbook = opened(body)
    with translation.override("zh-hant"):
        assert workbook.sheetnames == [translation.gettext(name) for name in ("Replies", "Tables", "About this export")]
        assert workbook.sheetnames[0] != "Replies"
        assert next(workbook.worksheets[0].iter_rows(values_only=True))[0] == translation.gettext("year")


def test_a_full_sheet_is_the_limit_and_rows_beyond_it_are_not_written(client, monkeypatch):
    assert export_views.LIMITS["xlsx"] == xlsx.MAX_DATA_ROWS == 1_048_575
    monkeypatch.setattr(xlsx, "MAX_DATA_ROWS", 5)  # as if more replies arrived than a sheet holds
    response, body = download(client, YEAR)
    sheet = opened(body)["Replies"]
    assert len(list(sheet.iter_rows())) == 6 and sheet.auto_filter.ref == "A1:Q6"


def test_a_set_over_the_limit_gets_the_page_that_explains_it(client, monkeypatch):
    monkeypatch.setitem(export_views.LIMITS, "xlsx", 100)
    response = client.get("/en/replies/export.xlsx", YEAR)
    assert response.status_code == 400
    assert "This set has 263 replies; a Excel (XLSX) file holds at most 100." in response.content.decode()


def test_a_sheet_that_may_pass_4_gib_is_written_with_zip64_and_still_opens(client, monkeypatch):
    monkeypatch.setattr(xlsx, "ZIP32_MAX", 100_000)  # a search's replies are measured, and found too large
    response, body = download(client, {"q": "數碼港"})
    entry = zipfile.ZipFile(io.BytesIO(body)).getinfo("xl/worksheets/sheet1.xml")
    assert entry.extract_version == 45 and entry.flag_bits & 0x08
    assert len(list(opened(body)["Replies"].iter_rows())) > 1
    monkeypatch.undo()
    assert not xlsx.sheet_needs_zip64(listing_selection(RequestFactory().get("/replies/", {"q": "數碼港"})))


def test_a_zip64_sheet_has_its_size_in_a_zip64_field_of_the_central_directory_and_version_45_locally(
        client, monkeypatch):
    monkeypatch.setattr(xlsx, "ZIP32_MAX", 100_000)  # as if the sheet might pass 4 GiB
    response, body = download(client, {"q": "數碼港"})
    entry = zipfile.ZipFile(io.BytesIO(body)).getinfo("xl/worksheets/sheet1.xml")
    local = struct.unpack("<4s5H3L2H", body[entry.header_offset:entry.header_offset + 30])
    assert local[0] == b"PK\x03\x04" and local[1] == 45  # Excel repairs a sheet over 4 GiB without 4.5 here
    name_at = body.rindex(b"xl/worksheets/sheet1.xml")  # the central directory comes last
    fixed = struct.unpack("<4s6H3L5H2L", body[name_at - 46:name_at])
    assert fixed[0] == b"PK\x01\x02" and fixed[2] == 45 and fixed[9] == ZIP32_MAX  # the size is elsewhere:
    extra = body[name_at + fixed[10]:name_at + fixed[10] + fixed[11]]
    tag, size, uncompressed = struct.unpack("<2HQ", extra[:12])
    assert tag == 1 and uncompressed == entry.file_size  # in the ZIP64 extra field
