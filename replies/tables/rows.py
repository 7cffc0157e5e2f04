"""The body of a table: printed lines made into rows of exactly ``width`` cells.

Rules, in the order a line meets them:

* the header printed again after a page break is dropped;
* a line without figures that labels every column (all but a blank corner) under rows starts another table;
* a line without figures waits: it is the label of the row below (``香港房屋委員會及房屋署`` over a line of
  numbers), the start of that row's label cut over lines (``行政及支援服`` + ``務 | 613 …``), or, when the
  row below has a label of its own that it does not run into, a section row (``汽車科技研發中心``); three
  waiting lines then a row start another table, a line closing a bracket opened above counted with it
  (``2022／23`` + ``(截至`` + ``2023年 | 2月)`` is one label);
* a row printed one cell per line closes at its figure: the waiting lines are its other cells, and one fewer
  means the first column was printed once for several rows (it is then blank); waiting lines are cells only of
  columns that hold text in the row above (a line of text over a figure, under a column of figures, is the
  label of that figure's row: ``二級系統分析／程序編製主任`` over ``(6)``);
* a line with fewer cells than the table is padded on the right (a value printed once for several rows);
* a line of figures under a short row completes it, skipping the columns of text (a total row's figures
  printed after a page break go under the figures, not under ``活動內容``);
* text lines left at the end are the table's notes.

Each row keeps every way its numbers can be cut into ``width`` cells; the table picks one (reconstruct.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from replies.tables.cells import Line, is_numeric
from replies.tables.words import continues, join, joined, unclosed

_TITLE = re.compile(r"[：:]$")
_NOTE_MARK = re.compile(r"[(（]?註\s*\d{0,2}[)）]?")
NEW_HEADER_LINES = 3  # this many lines without figures, then a row, start a new table in the same region
FEWEST_LABELS = 3  # a line of fewer pieces may be a label and its value, not a header


@dataclass
class Body:
    rows: list[list[tuple[str, ...]]] = field(default_factory=list)  # each row's choices
    notes: list[str] = field(default_factory=list)
    rest: int | None = None  # index of the line where another table starts
    failed: str = ""  # why the body could not be read


def read_body(lines: Sequence[Line], start: int, width: int, header: Sequence[Line]) -> Body:
    body = Body()
    pending: list[str] = []
    index = start
    edge = _label_edge(tuple(lines[start:]))
    while index < len(lines):
        if header and _repeats(lines, index, header):
            if pending and _TITLE.search(pending[-1]):  # "「奇趣IT識多啲」計劃：" then the header: another table
                body.rest = index - len(pending)
                return body
            body.rows += [[_section(pending, width)]] if pending else []
            pending = []
            index += len(header)
            continue
        line = lines[index]
        if _NOTE_MARK.fullmatch(" ".join(line.segments)) and body.rows and not pending:
            body.rows[-1] = [_with_mark(cells, " ".join(line.segments)) for cells in body.rows[-1]]
            index += 1
            continue
        if not line.has_figure and body.rows and _labels_every_column(line, width):
            body.rest = index - len(pending)  # a header of its own, not the one printed again: another table
            return body
        if not line.has_figure:
            pending.append(joined(line.choices(line.fewest)[0]))
            index += 1
            continue
        if line.fewest >= 2 and _pieces(pending, NEW_HEADER_LINES) >= NEW_HEADER_LINES:
            body.rest = index - len(pending)
            return body
        problem = _add_row(body, line, pending, width, edge)
        if problem:
            body.failed = problem
            return body
        pending = []
        index += 1
    body.notes = pending
    return body


def _pieces(pending: list[str], enough: int) -> int:
    """How many waiting lines there are (counted up to ``enough``), a line that closes a bracket opened on the
    line above counted with it: ``2022／23`` + ``(截至`` + ``2023年 2月)`` is a year and its bracket, two pieces,
    not a header of three lines."""
    count, open_brackets = 0, 0
    for piece in pending:
        count += open_brackets <= 0
        if count >= enough:
            break
        open_brackets = max(open_brackets, 0) + unclosed(piece)
    return count


def _labels_every_column(line: Line, width: int) -> bool:
    """A line without figures that shows a label over every column (or all but a blank corner)."""
    return len(line.segments) >= max(FEWEST_LABELS, width - 1)


def _with_mark(cells: tuple[str, ...], mark: str) -> tuple[str, ...]:
    """A note's mark printed under a row belongs to its last figure (``340`` + ``註2``)."""
    last = _filled(cells) - 1
    return (*cells[:last], cells[last] + mark, *cells[last + 1:])


def _repeats(lines: Sequence[Line], index: int, header: Sequence[Line]) -> bool:
    return [line.text for line in lines[index : index + len(header)]] == [line.text for line in header]


def _section(pending: list[str], width: int) -> tuple[str, ...]:
    return (joined(pending), *[""] * (width - 1))


def _rest_of_previous(body: Body, line: Line) -> list[tuple[str, ...]]:
    """The previous row completed by this line of figures, when that row was short of at least as many cells
    (``2020-2021 | 7 | 1.35億 | 9,500萬`` then ``4,000萬``: one row printed over two lines). The figures skip the
    columns that hold text in the rows above (a total row has nothing under ``活動內容(例子)``)."""
    if not body.rows or not all(atom.is_number and not atom.is_year for atom in line.atoms):
        return []
    short = [(previous, filled) for previous in body.rows[-1]
             if (filled := _filled(previous)) < len(previous) and any(previous[1:])]
    if not short:
        return []
    first = min(filled for _, filled in short)
    text_columns = _text_columns(body.rows[:-1], first) if len(short[0][0]) - first > line.fewest else set()
    completed = []
    for previous, filled in short:
        free = [column for column in range(filled, len(previous)) if column not in text_columns]
        free = free or list(range(filled, len(previous)))
        for rest in _short_choices(line, len(free)):
            cells = list(previous)
            for column, cell in zip(free, rest):
                cells[column] = cell
            completed.append(tuple(cells))
    return completed


def _text_columns(rows: list[list[tuple[str, ...]]], first: int) -> set[int]:
    """The columns from ``first`` on where the rows (those cut one way only) hold text and no figure (``不適用``
    and ``-`` are neither)."""
    text, figures = set(), set()
    for choices in rows:
        if len(choices) > 1:
            continue
        for column, cell in enumerate(choices[0][first:], start=first):
            numeric = bool(cell) and is_numeric(cell)
            if cell and not numeric:
                text.add(column)
            elif numeric and any(character.isdigit() for character in cell):
                figures.add(column)
    return text - figures


def _short_choices(line: Line, width: int) -> list[tuple[str, ...]]:
    """Every cut of a line into at most ``width`` cells, padded to ``width``."""
    return [_padded(cells, width) for count in range(line.fewest, min(line.most, width) + 1)
            for cells in line.choices(count)]


def _padded(cells: tuple[str, ...], width: int) -> tuple[str, ...]:
    return (*cells, *[""] * (width - len(cells)))


def _filled(cells: tuple[str, ...]) -> int:
    """How many cells a row has before its padding."""
    count = len(cells)
    while count and not cells[count - 1]:
        count -= 1
    return count


@lru_cache(maxsize=64)
def _label_edge(lines: tuple[Line, ...]) -> int:
    """The length of the longest row label printed on one line: a waiting line this long reached the edge of
    the label column and was cut there (``銀行保險及其`` + ``他金融服務``)."""
    return max((len(line.atoms[0].text) for line in lines if line.has_figure and not line.atoms[0].is_number),
               default=0)


def _at_edge(waiting: str, edge: int) -> bool:
    """The waiting line reached the edge of the label column (``銀行保險及其`` + ``他金融服務``), unless it ends
    with a bracket closed (``分目101創新及科技(整體撥款) (註)``: a complete label, a section over the rows)."""
    return len(waiting) >= edge > 0 and not waiting.endswith((")", "）"))


def _add_row(body: Body, line: Line, pending: list[str], width: int, edge: int) -> str:
    label = joined(pending)
    own = line.choices(width)
    short = line.choices(width - 1)
    if pending and line.most == 1 and len(pending) in (width - 1, width - 2) and body.rows and not any(
            is_numeric(cell) for cell in body.rows[-1][0][width - 1 - len(pending) : width - 1]):
        cells = (*([""] if len(pending) == width - 2 else []), *pending, line.text)  # one cell per line
        body.rows.append([cells])
    elif pending and line.atoms[0].is_number and not line.atoms[0].is_year and line.fewest < width:
        cells = short or line.choices(line.most)
        body.rows.append([_padded((label, *row), width) for row in cells])
    elif pending and own and not line.atoms[0].is_number and (continues(label, own[0][0]) or _at_edge(pending[-1], edge)):
        body.rows.append([(join(label, cells[0]), *cells[1:]) for cells in own])
    elif own:
        if pending:
            body.rows.append([_section(pending, width)])
        body.rows.append(own)
    elif not pending and (rest := _rest_of_previous(body, line)):
        body.rows[-1] = rest
    elif line.most < width and (line.fewest * 2 >= width or (line.fewest >= 2 and not line.atoms[0].is_number)):
        if pending:
            body.rows.append([_section(pending, width)])
        body.rows.append(_short_choices(line, width))
    else:
        return f"a row of {line.fewest}-{line.most} cells in a table of {width}: {line.text}"
    return ""
