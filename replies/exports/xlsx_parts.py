"""The XML parts of the streamed XLSX workbook (SpreadsheetML), written as text without a spreadsheet library.

Why no library here: openpyxl (write-only mode) and XlsxWriter (constant_memory) both write the package to a
seekable file and finish it only when the workbook is saved or closed, so nothing could be sent until every
reply had been written; these few templates let each chunk of rows go out as soon as it is made.

Cells are inline strings (t="inlineStr"), so no shared-strings table has to be built in memory first, and an
inline string is text to every spreadsheet program: a reply starting with "=" is never run as a formula.
"""

from __future__ import annotations

import re
from itertools import chain, count, repeat
from operator import getitem
from typing import Callable

SHEET_ROWS = 1_048_576  # the most rows an Excel sheet holds
EXCEL_CELL_LIMIT = 32_767  # characters Excel holds in one cell; longer text is cut with a note
TRUNCATED_NOTE = " […]"
# What XML 1.0 forbids: control characters other than tab, newline and return; U+FFFE, U+FFFF; lone surrogates.
ILLEGAL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell styles, indexes into styles.xml's cellXfs.
PLAIN, HEADER, WRAPPED, BOLD, RIGHT = 0, 1, 2, 3, 4
OFFICE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Where a row's number goes in XML written before the row is numbered: the one place it can be, as cell() takes
# it out of text (XML forbids it) and UTF-8 writes it as this byte only.
ROW_MARK = "\x00"
ROW_MARK_BYTES = ROW_MARK.encode()
# How many cells CellMemory keeps (then it forgets them all and starts again), and the longest it keeps
# (longer texts seldom recur): with their values, a few tens of MB at most whatever the export.
REMEMBERED_CELLS = 1 << 16
REMEMBERED_CELL_BYTES = 256
ROW_START = f'<row r="{ROW_MARK}">'.encode()
ROW_END = b"</row>"

CONTENT_TYPES = f"""{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="{OFFICE_TYPE}.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE_TYPE}.worksheet+xml"/>\
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{OFFICE_TYPE}.worksheet+xml"/>\
<Override PartName="/xl/worksheets/sheet3.xml" ContentType="{OFFICE_TYPE}.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="{OFFICE_TYPE}.styles+xml"/></Types>"""

PACKAGE_RELS = f"""{DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""

WORKBOOK_RELS = f"""{DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet2.xml"/>\
<Relationship Id="rId3" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet3.xml"/>\
<Relationship Id="rId4" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>"""

# Fonts: 0 regular, 1 bold. cellXfs: PLAIN, HEADER (bold, wrapped, top), WRAPPED (wrapped, top), BOLD,
# RIGHT (right-aligned: a figure kept as printed text).
STYLES = f"""{DECLARATION}<styleSheet xmlns="{MAIN}">\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="right"/></xf>\
</cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


def cell_text(value: str) -> str:
    """Text Excel accepts: no characters XML forbids, within the cell limit (cut with a note)."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - len(TRUNCATED_NOTE)] + TRUNCATED_NOTE
    return value


def escape(text: str, quotes: bool = False) -> str:
    """XML text (or, with quotes, an attribute); a carriage return is written as a reference so that a parser
    does not turn it into a newline."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if quotes and '"' in text:
        text = text.replace('"', "&quot;")
    return text


def cell(reference: str, value, style: int) -> str:
    """One cell: numbers as numbers, everything else as an inline string; None or no text leaves the cell out
    (blank, as a spreadsheet's filter and COUNTA expect, not a cell holding "")."""
    if value is None:
        return ""
    if value.__class__ is not str:  # most cells are text: one comparison instead of three isinstance calls
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f'<c r="{reference}" s="{style}"><v>{value!r}</v></c>'
        value = str(value)
    text = cell_text(value)
    if not text:
        return ""
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'<c r="{reference}" s="{style}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def row(number: int, values, styles, letters: list[str]) -> str:
    """A row's cells, each with its column's style (a list of style indexes, one a column)."""
    suffix = str(number)
    return f'<row r="{suffix}">{_cells(suffix, values, styles, letters)}</row>'


def _cells(suffix: str, values, styles, letters: list[str]) -> str:
    return "".join([cell(letter + suffix, value, style) for letter, value, style in zip(letters, values, styles)])


class LeadingCells:
    """Cells that begin many rows with the same values and styles (whose table a row of the "Tables" sheet
    is), written once with ROW_MARK where each row's number goes."""

    def __init__(self, values, styles, letters: list[str]):
        self.template = _cells(ROW_MARK, values, styles, letters)

    def xml(self, suffix: str) -> str:
        return self.template.replace(ROW_MARK, suffix)


NO_LEADING_CELLS = LeadingCells([], [], [])


def rows(numbered, letters: list[str]) -> str:
    """Rows given as (number, leading, values, styles), exactly as row() writes each: the LeadingCells, then
    ``values`` in the columns ``letters``. Why not row(): the test for characters XML forbids, a regex call
    per cell, took as long as the rest of the row; here the batch's values are searched at once (the leading
    cells are clean already, the tags never hold one), and only a batch that has one is written cell by cell."""
    texts = "".join(map(str, chain.from_iterable(values for _, _, values, _ in numbered)))
    cells = _cells if ILLEGAL_CHARACTERS_RE.search(texts) else _clean_text_cells
    return "".join([_row(number, leading, values, styles, letters, cells)
                    for number, leading, values, styles in numbered])


def _row(number: int, leading: LeadingCells, values, styles, letters: list[str], cells) -> str:
    suffix = str(number)
    return f'<row r="{suffix}">{leading.xml(suffix)}{cells(suffix, values, styles, letters)}</row>'


def _clean_text_cells(suffix: str, values, styles, letters: list[str]) -> str:
    """_cells for text without forbidden characters: cell()'s common case written inline, the rest left to it."""
    cells = []
    for letter, value, style in zip(letters, values, styles):
        # strip() gives the string itself when it has no space to strip at either end (no xml:space then)
        if value.__class__ is str and value.strip() is value and len(value) <= EXCEL_CELL_LIMIT:
            if value:
                if "&" in value or "<" in value or ">" in value or "\r" in value:
                    value = escape(value)
                cells.append(f'<c r="{letter}{suffix}" s="{style}" t="inlineStr"><is><t>{value}</t></is></c>')
        else:
            cells.append(cell(letter + suffix, value, style))
    return "".join(cells)


class ColumnCells(dict):
    """One column's cells in one style rule, value -> the cell's XML as UTF-8 with ROW_MARK for its row number
    (in the style ``style_of(value)`` gives; b"" where cell() leaves the cell out): written by cell() the first
    time a value is looked up, then found again, so a row's cells are a dict lookup each, in C (unnumbered_rows).
    Only text is kept: 1, 1.0 and True are one key to a dict but three different cells."""

    __slots__ = ("reference", "style_of", "memory")

    def __init__(self, letter: str, style_of: Callable[[object], int], memory: CellMemory):
        super().__init__()
        self.reference = letter + ROW_MARK
        self.style_of = style_of
        self.memory = memory

    def __missing__(self, value) -> bytes:
        written = cell(self.reference, value, self.style_of(value)).encode()
        if value.__class__ is str and len(written) <= REMEMBERED_CELL_BYTES:
            self.memory.make_room()
            self[value] = written
        return written


class CellMemory:
    """Every column's ColumnCells for each style rule of a sheet (a function of the value giving the style),
    holding at most REMEMBERED_CELLS cells in all: the figures, years and units of tables recur, so most
    cells are found rather than written; when it is full every cell is forgotten, so memory stays bounded
    however large the export."""

    def __init__(self, letters: list[str]):
        self.letters = letters
        self.by_rule: dict[Callable[[object], int], list[ColumnCells]] = {}
        self.room = REMEMBERED_CELLS

    def columns(self, style_of: Callable[[object], int], how_many: int) -> list[ColumnCells]:
        """The first ``how_many`` columns' cells in the rule (fewer if the sheet has fewer columns)."""
        columns = self.by_rule.setdefault(style_of, [])
        if len(columns) < how_many:
            columns.extend(ColumnCells(letter, style_of, self) for letter in self.letters[len(columns):how_many])
        return columns

    def make_room(self) -> None:
        if not self.room:
            for columns in self.by_rule.values():
                for cells in columns:
                    cells.clear()
            self.room = REMEMBERED_CELLS
        self.room -= 1


def unnumbered_rows(leading: bytes, values_by_row: list, columns: list[ColumnCells]) -> list[bytes]:
    """Each row of values after the ``leading`` cells (UTF-8, ROW_MARK for the row number), its values in
    ``columns`` (from CellMemory.columns): row()'s XML as UTF-8, with ROW_MARK for the number numbered_rows
    puts in. Values past the last column are left out, as row() leaves them."""
    start = ROW_START + leading
    return [b"".join([start, *map(getitem, columns, values), ROW_END]) for values in values_by_row]


def numbered_rows(unnumbered: list[bytes], first: int) -> bytes:
    """Rows from unnumbered_rows numbered from ``first`` on: one bytes.replace a row, in C (on bytes it looks
    for the mark with memchr, which on text it would not)."""
    return b"".join(map(bytes.replace, unnumbered, repeat(ROW_MARK_BYTES), map(b"%d".__mod__, count(first))))


def column_letter(index: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    name = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def letters(count: int) -> list[str]:
    return [column_letter(index) for index in range(1, count + 1)]


def absolute(reference: str) -> str:
    """A1 -> $A$1, as a defined name writes a cell."""
    column = reference.rstrip("0123456789")
    return f"${column}${reference[len(column):]}"


def sheet_start(widths: list[int], frozen_header: bool, selected: bool = False, rest_width: int | None = None) -> str:
    """Everything before the rows: the frozen header pane, the column widths (``rest_width`` for every column
    after those) and whether the sheet is the one the file opens on."""
    selected_tab = ' tabSelected="1"' if selected else ""
    if frozen_header:
        view = (f'<sheetView workbookViewId="0"{selected_tab}><pane ySplit="1" topLeftCell="A2" '
                'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                "</sheetView>")
    else:
        view = f'<sheetView workbookViewId="0"{selected_tab}/>'
    columns = "".join(f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
                      for index, width in enumerate(widths, start=1))
    if rest_width:
        columns += f'<col min="{len(widths) + 1}" max="16384" width="{rest_width}" customWidth="1"/>'
    return (f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheetViews>{view}</sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{columns}</cols><sheetData>')


def sheet_end(filter_range: str | None = None) -> str:
    return "</sheetData>" + (f'<autoFilter ref="{filter_range}"/>' if filter_range else "") + "</worksheet>"


def workbook(names: list[str], filter_ranges: dict[int, str]) -> str:
    """The sheets in order (the nth is worksheets/sheet<n>.xml), and each autofilter's range (by the sheet's
    position from 0) as Excel itself records it (_xlnm._FilterDatabase)."""
    sheets = "".join(f'<sheet name="{escape(name, quotes=True)}" sheetId="{index}" r:id="rId{index}"/>'
                     for index, name in enumerate(names, start=1))
    defined = "".join(filter_name(names[position], position, cells) for position, cells in sorted(filter_ranges.items()))
    return (f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><bookViews><workbookView/></bookViews>'
            f'<sheets>{sheets}</sheets><definedNames>{defined}</definedNames></workbook>')


def filter_name(sheet: str, position: int, filter_range: str) -> str:
    start, end = filter_range.split(":")
    filtered = "'" + sheet.replace("'", "''") + f"'!{absolute(start)}:{absolute(end)}"
    return (f'<definedName name="_xlnm._FilterDatabase" localSheetId="{position}" hidden="1">'
            f"{escape(filtered)}</definedName>")
