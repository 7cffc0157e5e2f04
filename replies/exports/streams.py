"""CSV and JSON exports, streamed: rows are written as the database yields them, never held all at once."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from itertools import chain

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from replies.api import ReplySerializer
from replies.exports import columns
from replies.exports.columns import CHUNK_SIZE

BYTE_ORDER_MARK = "\ufeff"  # lets Excel open UTF-8 Chinese correctly
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
FORMULA_FIRST = frozenset("=+-@\t\r")  # FORMULA_START's characters, for a test without a regex call
NUMBER = re.compile(r"^[-+]?\d[\d,. ]*%?$")


class _Passthrough:
    """csv.writer needs a file; this one hands each written line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def spreadsheet_safe(value):
    """A cell a spreadsheet would run as a formula ("=HYPERLINK(…)") is prefixed with ' so it stays text."""
    if isinstance(value, str) and FORMULA_START.match(value) and not NUMBER.match(value):
        return "'" + value
    return value


def csv_line(values) -> str:
    """The line csv.writer writes (QUOTE_MINIMAL, "\\r\\n") for these values made spreadsheet_safe.

    Why not csv.writer: it tests every character of every field against the delimiter, quote and line end one at
    a time, which for replies of ten thousand characters took more time than all the rest of the export; here
    each field is searched for them by str's own fast search."""
    fields = []
    for value in values:
        if value.__class__ is not str:
            value = spreadsheet_safe(value) if isinstance(value, str) else "" if value is None else str(value)
        elif value[:1] in FORMULA_FIRST and not NUMBER.match(value):
            value = "'" + value
        if '"' in value:
            value = '"' + value.replace('"', '""') + '"'
        elif "," in value or "\n" in value or "\r" in value:
            value = '"' + value + '"'
        fields.append(value)
    return ",".join(fields) + "\r\n"


def csv_lines(selection, absolute_url):
    batch = [BYTE_ORDER_MARK + csv_line(columns.header(language="en"))]
    for row in columns.rows(selection, absolute_url):
        batch.append(csv_line(row))
        if len(batch) >= CHUNK_SIZE:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


def table_csv_lines(table: dict):
    """One table of ``Reply.tables``: its header (when it has one), then its rows, cells as printed."""
    writer = csv.writer(_Passthrough())
    rows = [table["header"]] if table["header"] else []
    yield BYTE_ORDER_MARK
    for row in rows + table["rows"]:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def json_pieces(selection):
    """A JSON list of exactly the API's reply objects, written one object at a time."""
    # One serializer for every reply: DRF builds a serializer's fields anew for each instance, most of the time.
    serializer = ReplySerializer(context={"search_query": selection.search_query})
    separator = "["
    for reply in columns.streamed(selection.replies, not selection.searched):
        yield separator + json.dumps(serializer.to_representation(reply), ensure_ascii=False)
        separator = ","
    yield "[]" if separator == "[" else "]"


def started(pieces: Iterator[str]) -> Iterator[str]:
    """The pieces with the first one already made, inside the view: a database that fails before any byte is
    sent (a short export reads all its rows and commits before its first piece) raises where the outage
    middleware turns it into the 503 page, instead of inside the server's write loop, which can only send a 500."""
    first = next(pieces, None)
    return pieces if first is None else chain([first], pieces)


def csv_response(request, selection) -> StreamingHttpResponse:
    lines = started(csv_lines(selection, request.build_absolute_uri))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = selection.content_disposition("csv")
    return response


def table_csv_response(table: dict, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(table_csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def json_response(request, selection) -> StreamingHttpResponse:
    response = StreamingHttpResponse(started(json_pieces(selection)), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = selection.content_disposition("json")
    return response
