"""The XLSX export's "Tables" sheet: every table of the exported replies (Reply.tables), one worksheet row per
table row, streamed like the replies sheet.

Each row says whose table it is and what the row is: year, serial, the table's number within the reply (from 1,
as on the reply page), its field (question or reply), the row's kind, then the cells. A table gives a caption row
(the sentence that introduces it, when it has one), its header row, its data rows, then a row per note; a table
whose columns could not be recovered gives its source lines instead of header and data. So a filter on the kind
column keeps only the figures, and a filter on serial and table number one table.

The replies are read a second time, after the replies sheet, with only the three fields this sheet needs and only
those that have tables: memory stays that of one chunk of replies (and of the cells remembered, which are bounded)
however many there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from typing import Iterator

from django.db.models import Func, IntegerField, Sum, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from replies.exports.columns import CHUNK_SIZE, streamed
from replies.exports.xlsx_parts import (
    BOLD, HEADER, PLAIN, RIGHT, SHEET_ROWS, CellMemory, LeadingCells, letters, numbered_rows, row, sheet_end,
    sheet_start, unnumbered_rows,
)
from replies.tables.cells import is_numeric

MAX_DATA_ROWS = SHEET_ROWS - 1  # the sheet's header row aside
WIDTHS = [9, 11, 7, 9, 11]  # year, serial, table, field, row; then the cells
CELL_WIDTH = 16
# The most XML a table row may take for each byte of the reply's tables as stored JSON (jsonb::text): a row of
# one one-character cell is ~300 bytes of XML (five cells of whose table and what row, tags) for ~12 of JSON
# (the cell, its row's brackets and the source line it came from). Above the ZIP32 limit: ZIP64.
XML_PER_JSON_BYTE = 32
LETTERS = letters(16_384)  # every column a sheet has
CELL_LETTERS = LETTERS[len(WIDTHS):]  # the columns of a table row's cells
# Whether a cell is a figure, remembered per process: the same cells (years, units, common figures) recur
# across tables, and the test is several regex calls.
numeric = lru_cache(maxsize=1 << 16)(is_numeric)


@dataclass(frozen=True)
class TableWords:
    """The sheet's words in the request's language (rows are written after the view has returned)."""

    header: list[str]
    fields: dict[str, str]
    kinds: dict[str, str]
    full: str


def table_words() -> TableWords:
    return TableWords(
        header=[_("year"), _("serial"), _("table"), _("field"), _("row"), _("cells")],
        fields={"question": _("question"), "reply": _("reply")},
        kinds={
            "caption": pgettext("table row", "caption"),
            "header": pgettext("table row", "header"),
            "data": pgettext("table row", "data"),
            "note": pgettext("table row", "note"),
            "source": pgettext("table row", "source line"),
        },
        full=_("The sheet is full: the tables after this row are not in this file."),
    )


@dataclass
class TablesProgress:
    rows: int = 1  # rows written, the header included
    width: int = len(WIDTHS) + 1  # the widest row written, in columns


def with_tables(selection):
    """(year, serial, tables) of the selection's replies that have tables, in the selection's order."""
    replies = selection.replies.exclude(tables=[]).prefetch_related(None)
    return replies.values_list("year__label", "serial", "tables")


def needs_zip64(selection, zip32_max: int) -> bool:
    """Whether the sheet may pass what a plain ZIP entry holds, from the size of the tables' JSON."""
    octets = Func(Cast("tables", TextField()), function="OCTET_LENGTH", output_field=IntegerField())
    stored = selection.replies.exclude(tables=[]).order_by().aggregate(total=Sum(octets))["total"] or 0
    return stored * XML_PER_JSON_BYTE > zip32_max


def always_plain(value) -> int:
    return PLAIN


def always_bold(value) -> int:
    return BOLD


def right_if_figure(value) -> int:
    return RIGHT if numeric(value) else PLAIN


# Each kind of row's cells' style, from the cell's value.
KIND_STYLES = {"caption": always_plain, "header": always_bold, "data": right_if_figure, "source": always_plain,
               "note": always_plain}


def table_parts(tables: list[dict]) -> Iterator[tuple[int, str, str, list]]:
    """(table number, field, kind, rows of cells) of one reply's tables, in the sheet's order: each table's
    caption, header, data rows (or source lines) and notes. A kind's rows share their leading cells and a
    table averages about three rows a kind, so the rows are written a kind at a time."""
    for number, table in enumerate(tables, start=1):
        field = table["field"]
        if table["caption"]:
            yield number, field, "caption", [[table["caption"]]]
        if table["reconstructed"]:
            if table["header"]:
                yield number, field, "header", [table["header"]]
            yield number, field, "data", table["rows"]
        else:
            yield number, field, "source", table["rows"]
        yield number, field, "note", [[text] for text in table["notes"]]


class WhichRow:
    """The table, field and kind cells of a row (UTF-8, ROW_MARK for the row number), written once per export
    for each (table number, field, kind): they recur in every reply."""

    def __init__(self, words: TableWords):
        self.words = words
        self.written: dict[tuple[int, str, str], bytes] = {}

    def cells(self, number: int, field: str, kind: str) -> bytes:
        key = (number, field, kind)
        if key not in self.written:
            values = [number, self.words.fields.get(field, field), self.words.kinds[kind]]
            self.written[key] = LeadingCells(values, [PLAIN] * 3, LETTERS[2:5]).template.encode()
        return self.written[key]


class TableRows:
    """The sheet's rows as UTF-8 before they are numbered (xlsx_parts.unnumbered_rows), as many as the sheet
    holds: the progress counts them as they go, and ``full`` says whether some were left out. Why this way:
    a cell's XML is written once per column and value (CellMemory: figures, years and units recur across
    tables) and numbered with its row by numbered_rows, so a row is a few calls in C instead of an f-string
    and checks per cell, then an encode: table rows are short and many, so the cost per row and per cell is what
    counts (docs/BENCHMARKS.md, "Why the design is as it is")."""

    def __init__(self, words: TableWords, progress: TablesProgress):
        self.which = WhichRow(words)
        self.memory = CellMemory(CELL_LETTERS)
        self.progress = progress
        self.full = False

    def of(self, replies) -> Iterator[list[bytes]]:
        """The unnumbered rows of each kind of row of each table in turn."""
        for year, serial, tables in replies:
            reply_cells = LeadingCells([year, serial], [PLAIN, PLAIN], LETTERS[:2]).template.encode()
            for number, field, kind, rows in table_parts(tables):
                room = MAX_DATA_ROWS - self.progress.rows
                if len(rows) > room:
                    self.full = True
                    rows = rows[:room]
                if rows:
                    widest = max(map(len, rows))
                    self.progress.rows += len(rows)
                    self.progress.width = max(self.progress.width, len(WIDTHS) + widest)
                    leading = reply_cells + self.which.cells(number, field, kind)
                    yield unnumbered_rows(leading, rows, self.memory.columns(KIND_STYLES[kind], widest))
                if self.full:
                    return


def tables_sheet(selection, words: TableWords, progress: TablesProgress) -> Iterator[bytes]:
    """The sheet's XML a chunk of rows at a time; a last row says so if the tables fill the sheet."""
    replies = streamed(with_tables(selection), not selection.searched)
    table_rows = TableRows(words, progress)
    every_row = chain.from_iterable(table_rows.of(replies))
    yield (sheet_start(WIDTHS, frozen_header=True, rest_width=CELL_WIDTH)
           + row(1, words.header, [HEADER] * len(words.header), LETTERS)).encode()
    first = 2
    while len(batch := list(islice(every_row, CHUNK_SIZE))) == CHUNK_SIZE:
        yield numbered_rows(batch, first)
        first += CHUNK_SIZE
    last = numbered_rows(batch, first)
    if table_rows.full:
        progress.rows += 1
        last += row(progress.rows, [words.full], [BOLD], CELL_LETTERS).encode()  # in the cells' first column
    yield last + sheet_end(filter_range(progress)).encode()


def filter_range(progress: TablesProgress) -> str:
    return f"A1:{LETTERS[progress.width - 1]}{progress.rows}"
