"""The XLSX export's "Tables" sheet: every table of the exported replies (Reply.tables), one worksheet row per
table row, streamed like the replies sheet.

Each row says whose table it is and what the row is: year, serial, the table's number within the reply (from 1,
as on the reply page), its field (question or reply), the row's kind, then the cells. A table gives a caption row
(the sentence that introduces it, when it has one), its header row, its data rows, then a row per note; a table
whose columns could not be recovered gives its source lines instead of header and data. So a filter on the kind
column keeps only the figures, and a filter on serial and table number one table.

The replies are read a second time, after the replies sheet, with only the three fields this sheet needs and only
those that have tables: memory stays that of one chunk of replies however many there are.
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
    BOLD, HEADER, NO_LEADING_CELLS, PLAIN, RIGHT, SHEET_ROWS, LeadingCells, letters, row, rows, sheet_end,
    sheet_start,
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


def table_rows(year: str, serial: str, tables: list[dict], which: "WhichRow") -> Iterator[tuple]:
    """(leading, cells, styles) of each worksheet row of one reply's tables: the LeadingCells saying whose table
    and what row, then the row's cells. The leading cells are the same for every row of a kind in a table, so
    they are put together once per table and kind, from the reply's and WhichRow's."""
    reply_cells = LeadingCells([year, serial], [PLAIN, PLAIN], LETTERS[:2])
    for number, table in enumerate(tables, start=1):
        def leading(kind: str) -> LeadingCells:
            return reply_cells + which.cells(number, table["field"], kind)

        if table["caption"]:
            yield leading("caption"), [table["caption"]], [PLAIN]
        if table["reconstructed"]:
            if table["header"]:
                yield leading("header"), table["header"], [BOLD] * len(table["header"])
            data = leading("data")
            for cells in table["rows"]:
                yield data, cells, [RIGHT if numeric(cell) else PLAIN for cell in cells]
        else:
            source = leading("source")
            for cells in table["rows"]:
                yield source, cells, [PLAIN] * len(cells)
        note = leading("note")
        for text in table["notes"]:
            yield note, [text], [PLAIN]


class WhichRow:
    """The table, field and kind cells of a row, written once per export for each (table number, field, kind):
    they recur in every reply."""

    def __init__(self, words: TableWords):
        self.words = words
        self.written: dict[tuple[int, str, str], LeadingCells] = {}

    def cells(self, number: int, field: str, kind: str) -> LeadingCells:
        key = (number, field, kind)
        if key not in self.written:
            values = [number, self.words.fields.get(field, field), self.words.kinds[kind]]
            self.written[key] = LeadingCells(values, [PLAIN] * 3, LETTERS[2:5])
        return self.written[key]


def tables_sheet(selection, words: TableWords, progress: TablesProgress) -> Iterator[bytes]:
    """The sheet's XML a chunk of rows at a time; a last row says so if the tables fill the sheet."""
    replies = streamed(with_tables(selection), not selection.searched)
    which = WhichRow(words)
    every_row = chain.from_iterable(table_rows(year, serial, tables, which) for year, serial, tables in replies)
    yield (sheet_start(WIDTHS, frozen_header=True, rest_width=CELL_WIDTH)
           + row(1, words.header, [HEADER] * len(words.header), LETTERS)).encode()
    batch = []
    number = 1
    for leading, cells, styles in islice(every_row, MAX_DATA_ROWS - 1):
        number += 1
        batch.append((number, leading, cells, styles))
        progress.width = max(progress.width, len(WIDTHS) + len(cells))
        if len(batch) >= CHUNK_SIZE:
            yield rows(batch, CELL_LETTERS).encode()
            batch = []
    if next(every_row, None) is not None:
        number += 1
        batch.append((number, NO_LEADING_CELLS, [words.full], [BOLD]))  # in the cells' first column
    progress.rows = number
    yield (rows(batch, CELL_LETTERS) + sheet_end(filter_range(progress))).encode()


def filter_range(progress: TablesProgress) -> str:
    return f"A1:{LETTERS[progress.width - 1]}{progress.rows}"
