"""The XLSX export, streamed: the workbook's ZIP is sent as it is written, a chunk of rows at a time, so the
download starts at once and the worker's memory stays flat however many replies (up to a full sheet) it holds.

The sheets: "Replies" (one row per reply), "Tables" (every table of those replies, tables_sheet.py) and "About
this export". The ZIP container is stream-zip's (deflated entries with data descriptors, ZIP64 for a sheet that may
pass 4 GiB, with version 4.5 in its local header as Excel requires); the sheets' XML is written by xlsx_parts.py.

Every word in the file (sheet names, header, summary) is translated before the response is returned: the rows
are written after the view has returned, when the request's language may no longer be active.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from stat import S_IFREG
from typing import Iterator

from django.db.models import F, Func, IntegerField, Sum
from django.http import StreamingHttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from stream_zip import ZIP_32, ZIP_64, stream_zip
from zlib_ng import zlib_ng

from replies.exports import columns, tables_sheet
from replies.exports.columns import CHUNK_SIZE
from replies.exports.xlsx_parts import ILLEGAL_CHARACTERS_RE  # noqa: F401  (word.py cleans its text with it)
from replies.exports.xlsx_parts import (
    BOLD, CONTENT_TYPES, EXCEL_CELL_LIMIT, HEADER, PACKAGE_RELS, PLAIN, SHEET_ROWS, STYLES, WORKBOOK_RELS, WRAPPED,
    NO_LEADING_CELLS, letters, row, rows, sheet_end, sheet_start, workbook,
)
from replies.exports.tables_sheet import TableWords, TablesProgress, table_words

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DATA_ROWS = SHEET_ROWS - 1  # Excel's 1,048,576 rows less the header
ZIP32_MAX = 0xFFFF_FFFF  # the most bytes an entry holds without ZIP64
SEND_BYTES = 1 << 16  # the archive goes out in pieces of this size: one socket write each
DEFLATE_LEVEL = 2  # see deflate
FILE_MODE = S_IFREG | 0o644
# The most XML one row can take (question and reply at the cell limit, 3 UTF-8 bytes a character, plus the rest):
# a sheet of fewer than ZIP32_MAX / LARGEST_ROW_BYTES rows (about 21,000) always fits a plain ZIP entry.
LARGEST_ROW_BYTES = 2 * EXCEL_CELL_LIMIT * 3 + 4_000
# Beside the question and reply, a row's tags, short columns and URL: a typical row needs well under half of this.
ROW_MARKUP_BYTES = 2_000
SIZE_MARGIN = 1.25  # escapes (&amp;) and longer programme lists than the estimate allows for


@dataclass(frozen=True)
class Words:
    """The file's words in the request's language."""

    sheet_names: list[str]  # the replies, the tables, the summary
    header: list[str]
    summary: list[tuple[str, object]]
    tables: TableWords


@dataclass
class Progress:
    rows: int = 1  # rows written to the replies sheet, the header included


def words(selection, absolute_url) -> Words:
    summary = [
        (_("Exported"), formats.date_format(selection.created_at, "Y-m-d H:i")),
        (_("Replies"), selection.count),
        (_("Query"), selection.query_string or _("(all replies)")),
        *selection.description,
        (_("Source"), absolute_url("/")),
    ]
    names = [_("Replies"), _("Tables"), _("About this export")]
    return Words(names, columns.header(), [(str(k), v) for k, v in summary], table_words())


def sheet_needs_zip64(selection) -> bool:
    """Whether the replies sheet may pass 4 GiB of XML: decided before its first byte, since it is streamed.
    Only a large set is measured, by the bytes of its questions and replies (octet_length reads no TOAST)."""
    if selection.count * LARGEST_ROW_BYTES <= ZIP32_MAX:
        return False
    octets = [Func(F(name), function="OCTET_LENGTH", output_field=IntegerField()) for name in ("question", "reply")]
    text_bytes = selection.replies.aggregate(total=Sum(octets[0] + octets[1]))["total"] or 0
    return (text_bytes + selection.count * ROW_MARKUP_BYTES) * SIZE_MARGIN > ZIP32_MAX


def replies_sheet(selection, absolute_url, header: list[str], progress: Progress) -> Iterator[bytes]:
    """sheet1.xml a chunk of rows at a time; the autofilter, after the rows, covers the rows actually written."""
    names = letters(len(columns.COLUMNS))
    styles = [WRAPPED] * len(names)
    yield (sheet_start([column.width for column in columns.COLUMNS], frozen_header=True, selected=True)
           + row(1, header, [HEADER] * len(names), names)).encode()
    batch = []
    number = 1
    for values in islice(columns.rows(selection, absolute_url), MAX_DATA_ROWS):
        number += 1
        batch.append((number, NO_LEADING_CELLS, values, styles))
        if len(batch) >= CHUNK_SIZE:
            yield rows(batch, names).encode()
            batch = []
    progress.rows = number
    yield (rows(batch, names) + sheet_end(filter_range(number))).encode()


def filter_range(rows: int) -> str:
    return f"A1:{letters(len(columns.COLUMNS))[-1]}{rows}"


def summary_sheet(lines: list[tuple[str, object]]) -> bytes:
    body = "".join(row(number, line, [BOLD, PLAIN], ["A", "B"]) for number, line in enumerate(lines, start=1))
    return (sheet_start([20, 80], frozen_header=False) + body + sheet_end()).encode()


def workbook_parts(selection, absolute_url, text: Words) -> Iterator[tuple]:
    """The package's parts as stream-zip members: the small parts first, so the download starts before any
    reply is read; the workbook part last, since its autofilters cover the rows actually written."""
    now = datetime.now()
    small_parts = [
        ("[Content_Types].xml", CONTENT_TYPES.encode()),
        ("_rels/.rels", PACKAGE_RELS.encode()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.encode()),
        ("xl/styles.xml", STYLES.encode()),
        ("xl/worksheets/sheet3.xml", summary_sheet(text.summary)),
    ]
    for name, data in small_parts:
        yield name, now, FILE_MODE, ZIP_32, [data]
    progress = Progress()
    sheet = replies_sheet(selection, absolute_url, text.header, progress)
    yield "xl/worksheets/sheet1.xml", now, FILE_MODE, ZIP_64 if sheet_needs_zip64(selection) else ZIP_32, sheet
    tables = TablesProgress()
    tables_xml = tables_sheet.tables_sheet(selection, text.tables, tables)
    tables_zip = ZIP_64 if tables_sheet.needs_zip64(selection, ZIP32_MAX) else ZIP_32
    yield "xl/worksheets/sheet2.xml", now, FILE_MODE, tables_zip, tables_xml
    filters = {0: filter_range(progress.rows), 1: tables_sheet.filter_range(tables)}
    workbook_xml = workbook(text.sheet_names, filters).encode()
    yield "xl/workbook.xml", now, FILE_MODE, ZIP_32, [workbook_xml]


def deflate():
    """zlib-ng at its second level: the sheets are compressed while the reader waits. Its output is as small as
    zlib's fastest level (which took a sixth of the export's time) in two thirds of the time; zlib-ng's own
    fastest level is faster still but makes the file a fifth larger; zlib's default level took as long as
    writing the XML, for a file only a sixth smaller."""
    return zlib_ng.compressobj(DEFLATE_LEVEL, zlib_ng.DEFLATED, -zlib_ng.MAX_WBITS)


def workbook_pieces(selection, absolute_url, text: Words) -> Iterator[bytes]:
    """The XLSX file's bytes as they are written. No extended timestamps: an Office package has no use for them."""
    parts = workbook_parts(selection, absolute_url, text)
    return stream_zip(parts, chunk_size=SEND_BYTES, get_compressobj=deflate, extended_timestamps=False)


def xlsx_response(request, selection) -> StreamingHttpResponse:
    pieces = workbook_pieces(selection, request.build_absolute_uri, words(selection, request.build_absolute_uri))
    response = StreamingHttpResponse(pieces, content_type=XLSX_TYPE)
    response["Content-Disposition"] = selection.content_disposition("xlsx")
    return response
