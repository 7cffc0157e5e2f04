"""Reconstruct the tables of a stored field (see docs/TABLES.md for the rules and how well they do).

For each region (regions.py) the header lines are the lines before the first line with a figure; every column
count the rows allow is tried, and the smallest one for which the header gives one label per column
(header.py) and every line makes a row (rows.py) is the table's, preferring fewer padded rows. Where a row's
numbers can be cut several ways, the cut whose figures have the lengths of their columns' other figures wins,
and where the table has a total row, the cut that makes the columns add up. A region whose lines fit no
column count is kept as its source lines, marked not reconstructed.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Sequence

from replies.tables.header import Header, build as build_header
from replies.tables.numbered import region_tables as numbered_region_tables
from replies.tables.cells import Line, defined_marks, is_numeric, with_marks_attached
from replies.tables.model import DataTable
from replies.tables.regions import Region, chunks, regions
from replies.tables.rows import Body, read_body
from replies.tables.words import MEASURES, join, tail

MAX_WIDTH = 16
MAX_LABEL_LINES = 2  # the first row's label may be printed over this many lines above its figures
_TITLE = re.compile(r"^表\s*[0-9一二三四五六七八九十]+\s*[：:]|[：:]$|^[(（]?註\s*\d{0,2}[)）]?$")
_MEASURE = re.compile(r"(?:數目|人數|宗數|次數|金額|開支|總額|比率|百分比|[(（][^)）]*[元萬][)）])$")
_MEASURE_LABEL = re.compile(rf"(?:{MEASURES}|[(（][^)）]*[元萬][)）])(?:[(（]\d{{1,2}}[)）])*$")  # with its marks
_SAID_TWICE = re.compile(r"([^\d\s（）()]{5,}).*\1")  # "實際開支金額…實際開支金額": labels run together
_SENTENCE = re.compile(r"[。，；]|[：:].")
_FIGURE_INTO_TEXT = re.compile(r"^\d[\d,.]*[\u4e00-\u9fff]{3,}")
_ZERO_GROUP = re.compile(r"0\d+")
_TOTAL = re.compile(r"^(?:總數|總計|總額|合計|總和|總共|Total)")
_FIGURE = re.compile(r"-?\d[\d, ]*(?:\.\d+)?")


def tables_of_field(field: str, text: str) -> list[DataTable]:
    paragraphs = chunks(text)
    found: list[DataTable] = []
    taken = -1  # the last paragraph a table has used: a note of one table is not the caption of the next
    for region in regions(paragraphs):
        if region.caption is not None and region.caption <= taken:
            region = replace(region, caption=None)
        texts = region.lines(paragraphs)
        marks = defined_marks([paragraphs[index] for index in region.notes])
        lines = [Line.read(with_marks_attached(text, marks) if marks else text) for text in texts]
        if _holds_a_table(lines):
            found += _region_tables(field, paragraphs, region, texts, lines)
            taken = found[-1].chunks[1]
    return found


def _holds_a_table(lines: list[Line]) -> bool:
    """A region is a table when a line shows a figure or two lines show gaps; otherwise it is text laid out in
    lines (a name and a description, a formula) and stays as it is."""
    return any(line.has_figure for line in lines) or sum(len(line.segments) > 1 for line in lines) >= 2


@dataclass
class _Fit:
    width: int
    labels: list[str]
    body: Body
    header_lines: int
    label_lines: int  # lines above the first figures that are its row's label, not header
    forced: int  # header labels joined only to reach the width

    @cached_property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        return _chosen_rows(self.body.rows)

    @cached_property
    def off(self) -> bool:
        return _one_column_off(self.labels, self.rows)

    @property
    def sections(self) -> int:
        return sum(1 for choices in self.body.rows if not any(choices[0][1:]))

    @property
    def padded(self) -> int:
        return sum(1 for choices in self.body.rows if choices[0][-1] == "" and any(choices[0][1:]))


def _region_tables(field: str, paragraphs: list[str], region: Region, texts: list[str],
                   lines: list[Line]) -> list[DataTable]:
    numbered_rows = numbered_region_tables(field, paragraphs, region)
    if numbered_rows is not None:
        return numbered_rows
    caption = paragraphs[region.caption] if region.caption is not None else ""
    span = (region.caption if region.caption is not None else region.first,
            max(region.notes, default=region.last))
    tables: list[DataTable] = []
    start = 0
    while start < len(lines):
        caption = caption if not tables else ""
        while start + 1 < len(lines) and _TITLE.search(title := " ".join(lines[start].segments)):
            caption = join(caption, title)  # "表2：研發開支", "「中學IT創新實驗室」計劃：", "註1" name the table below
            start += 1
        fit = _best_fit(lines, start)
        stop = len(lines) if fit is None or fit.body.rest is None else fit.body.rest
        notes = [*(fit.body.notes if fit else [])]
        if stop == len(lines):
            notes += [paragraphs[index] for index in region.notes]
        if fit is None:
            header, rows = (), tuple(tuple(line.segments) for line in lines[start:stop])
        else:
            header, rows = tuple(fit.labels), fit.rows
        tables.append(DataTable(field, caption, header, rows, tuple(notes), fit is not None,
                                tuple(texts[start:stop]), span, fit.header_lines if fit else 0))
        start = stop
    return tables


def _best_fit(lines: Sequence[Line], start: int) -> _Fit | None:
    """The best reading of the table starting at ``start`` (see the module's docstring), or None."""
    first_row = next((i for i in range(start, len(lines)) if lines[i].has_figure and not lines[i].only_years), None)
    if first_row is None:
        return None
    widest = min(MAX_WIDTH, max(line.most for line in lines[start:]) + 2)  # a row's label or rest may be below it
    narrowest = max(2, lines[first_row].fewest)  # the first row is this table's
    fits = []
    for label_lines in range(0, min(MAX_LABEL_LINES, first_row - start) + 1):
        if any(len(line.segments) > 1 for line in lines[first_row - label_lines : first_row]):
            break  # a row's label is one piece of text
        if _measure_under_measures(lines[start : first_row - label_lines], lines[first_row - label_lines : first_row]):
            break
        for width in range(narrowest, widest + 1):
            fit = _fit(lines, start, first_row, label_lines, width)
            if fit is not None:
                fits.append(fit)
                if _rank(fit) == (0, 0, 0, False):
                    return fit  # nothing can rank before it: fewer columns come first, then more label lines
    return min(fits, key=lambda fit: (*_rank(fit), fit.width), default=None)


def _measure_under_measures(header: Sequence[Line], label: Sequence[Line]) -> bool:
    """A line that ends as a measure's label (``數目(4)(5)``, ``金額(萬元)``) under header lines that do is one more
    header label, not the first row's label (under years, ``服務香港境內企業的數目`` is a row's label)."""
    return (any(_MEASURE_LABEL.search(tail(line.text)) for line in label)
            and any(_MEASURE_LABEL.search(tail(line.text)) for line in header))


def _rank(fit: _Fit) -> tuple:
    return fit.forced, fit.padded + fit.sections, fit.label_lines, fit.off


def _fit(lines: Sequence[Line], start: int, first_row: int, label_lines: int, width: int) -> _Fit | None:
    body_start = first_row - label_lines
    header = list(lines[start:body_start])
    body = read_body(lines, body_start, width, header)
    if body.failed or not body.rows:
        return None
    first_cuts = [choices[0] for choices in body.rows]
    built = _labels(header, width, first_cuts)
    if built is None or not _believable(built.labels, first_cuts, _header_shows_columns(header, width, built)):
        return None
    fit = _Fit(width, built.labels, body, len(header), label_lines, built.forced)
    if fit.label_lines and fit.sections == 1 and not any(body.rows[0][0][1:]):
        return None  # a lone section row right under the header is a header piece
    return fit


def _believable(labels: list[str], rows: list[tuple[str, ...]], columns_shown: bool) -> bool:
    """Reject a fit the rules cannot stand behind: a label that reads as a sentence or says the same words twice
    (several labels run together), a figure run into text
    (``294如人工智能``: the extraction interleaved two cells), a group of zeros as a cell (``000``: a number cut in
    the wrong place), or more padded rows than full ones, unless the header shows the columns
    (``columns_shown``) and the padding is a last column's cell printed once for the rows under it."""
    if any(_SENTENCE.search(label) or _SAID_TWICE.search(label) for label in labels):
        return False
    cells = [cell for row in rows for cell in row[1:]]  # a row label may start with a figure: 1823及非參與部門
    if any(_FIGURE_INTO_TEXT.match(cell) or _ZERO_GROUP.fullmatch(cell) for cell in cells):
        return False
    padded = sum(1 for row in rows if row[-1] == "" and any(row[1:]))
    return padded * 2 <= len(rows) or (columns_shown and _last_column_spans(rows))


def _header_shows_columns(header: Sequence[Line], width: int, built: Header) -> bool:
    """The header shows a label over every column: its first line, between the gaps the PDF showed
    (``職級 | 職位人數 | 按薪級中點估計的``), or its labels as the joining rules read them, none forced and no
    blank corner. The column count is then printed, not inferred from the rows."""
    return bool(header) and (len(header[0].segments) == width or (not built.forced and built.labels[0] != ""))


def _last_column_spans(rows: list[tuple[str, ...]]) -> bool:
    """The padded rows are short of the last cell only, under a full first row: the last column's cell is printed
    once for the rows under it (a budget for a group of posts, the sensors of every lamp post), and stands in the
    first row it covers."""
    return all(rows[0]) and all(row[-2] for row in rows if any(row[1:]))


def _one_column_off(labels: list[str], rows: list[tuple[str, ...]]) -> bool:
    """A count's label over the row labels, beside other counts' labels ("合資格學校數目" over programme names,
    then "已申請學校數目"…): the labels sit one column to the left. (A measure over row labels beside years,
    "研發開支(百萬元)" then "2019-20年度"…, names the figures and is right.)"""
    if len(labels) < 3 or not _MEASURE.search(labels[0]):
        return False
    row_labels = all(row[0] and not is_numeric(row[0]) for row in rows if any(row[1:]))
    return row_labels and sum(bool(_MEASURE.search(label)) for label in labels[1:]) * 2 >= len(labels) - 1


def _labels(header: list[Line], width: int, rows: list[tuple[str, ...]]) -> Header | None:
    if not header:
        return Header([""] * width, 0)
    data = [row for row in rows if sum(1 for cell in row if cell) > 1]

    def counts(column: int) -> bool:
        return bool(data) and all(re.fullmatch(r"[\d ,]+", row[column] or "0") for row in data)

    text_labels = any(row[0] and not is_numeric(row[0]) for row in data)
    return build_header(header, width, counts, text_labels)


def _chosen_rows(rows: list[list[tuple[str, ...]]]) -> tuple[tuple[str, ...], ...]:
    """One cut per row (cells.Line.choices keeps the gaps the PDF showed): one that starts no figure with a zero,
    then by the totals where the table has them, then by the columns' figure lengths."""
    settled = [choices[0] for choices in rows if len(choices) == 1]
    lengths = _column_lengths(settled)
    chosen = [min(choices, key=lambda cells: (_zero_led(cells), _misfit(cells, lengths))) for choices in rows]
    for index, choices in enumerate(rows):
        if len(choices) > 1:
            chosen[index] = min(choices, key=lambda cells: (_zero_led(cells), _total_errors(chosen, index, cells),
                                                            _misfit(cells, lengths)))
    return tuple(chosen)


def _zero_led(cells: tuple[str, ...]) -> int:
    return sum(1 for cell in cells if _ZERO_GROUP.match(cell))


def _digits(cell: str) -> int | None:
    match = _FIGURE.search(cell)
    if not match or not is_numeric(cell):
        return None
    return len(re.sub(r"\D", "", match.group().split(".")[0]))


def _column_lengths(rows: list[tuple[str, ...]]) -> dict[int, float]:
    lengths: dict[int, list[int]] = {}
    for row in rows:
        for column, cell in enumerate(row):
            if (digits := _digits(cell)) is not None:
                lengths.setdefault(column, []).append(digits)
    return {column: statistics.median(values) for column, values in lengths.items()}


def _misfit(cells: tuple[str, ...], lengths: dict[int, float]) -> float:
    return sum(abs(digits - lengths[column]) for column, cell in enumerate(cells)
               if column in lengths and (digits := _digits(cell)) is not None)


def _value(cell: str) -> float | None:
    if not is_numeric(cell):
        return None
    match = _FIGURE.search(cell)
    try:
        return float(match.group().replace(",", "").replace(" ", "")) if match else None
    except ValueError:
        return None


def _total_errors(chosen: list[tuple[str, ...]], index: int, cells: tuple[str, ...]) -> int:
    """How many columns fail to add up to the total row, with row ``index`` cut as ``cells``."""
    rows = [*chosen[:index], cells, *chosen[index + 1:]]
    totals = [i for i, row in enumerate(rows) if row and _TOTAL.match(row[0])]
    if not totals:
        return 0
    total_row = rows[totals[0]]
    errors = 0
    for column in range(1, len(total_row)):
        total = _value(total_row[column])
        values = [_value(row[column]) for row in rows[: totals[0]] if len(row) > column]
        if total is None or any(value is None for value in values if value is not None) or not values:
            continue
        figures = [value for value in values if value is not None]
        if figures and abs(sum(figures) - total) > max(1.0, abs(total) * 0.005):
            errors += 1
    return errors
