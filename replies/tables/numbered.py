"""Annex tables: the long lists of an annex (``附件``), one row per numbered entry (``1.``, ``2.`` …) or per
project, whose cells the extraction printed over several lines and paragraphs, cut anywhere and glued together.
Every rule below is one a reader applies to the printed page; none is keyed on a reply.

**Where.** An annex region (regions.py) runs from its ``附件`` line to the next ``附件`` line or the end of the
field, across the prose-like cells (``由內部開發，不涉及額外開支。``) that would end an ordinary region; notes
under the rows end it, and the header printed again after them starts another region. A ``附件`` line with no
header under it (prose) is left to the general rules.

**Tables** (numbered_parts.py). The ``附件…`` line and the title lines under it are the caption. The header starts
at a line starting with ``編號`` or a line of labels cut by gaps; in a *numbered* annex it runs to the first line
``1.``; in a list of projects it is the lines printed again together after a page break (or the first line and
a bracket under it, ``(百萬元)``). The table's header printed again (a page break) is dropped and the rows go
on, however the page cut its lines and gaps (the same characters in the same order); a header with other
words (``局／部門`` without its ``(註)``) starts another table of the annex, under its own labels; notes
under the rows (``註：…``, ``# | 只備英文版本``) end the table.

**Header** (numbered_header.py). The header lines are read as one run of text cut after the words labels end
with (編號 部門 名稱 費用 成本 開支 金額 次數 日期 評分 所在地), unless a bare ending word that is no label by
itself follows (``預算開支金額``), and at the PDF's gaps, unless the label cannot end there (``截至``, a
particle) or what follows completes or qualifies it (``開發`` + ``成本``, ``局／部門`` + ``(註)``, a date cut in
pieces). Latin words after the labels (``Apple App Store Google Play Store …``) name as many columns as the
rows show ratings, under the label ending in 評分. A label's kind comes from its ending word: 編號 number,
部門 department, 名稱 name, 費用/成本/開支 cost, 金額 amount, 次數 count, 日期 date, 評分 rating, else text. A
numbered annex without a 編號 label has a blank first label over the numbers.

**Rows.** A numbered row starts at a line ``N.`` where N follows the row above and holds every line up to the
next one; a project row ends at its amount. A piece that closes a bracket left open in the row above, printed
after a page break, ends that cell: the page cut the cell short, so its last line was glued to the next cell's
first (``…赤柱監獄，石自動化監察／``), and the row above is cut where the piece's first word starts (``石`` +
``壁監獄…``, a dictionary word across); the piece is then put at the end of the cell (one cell). Lines before a
table's first row are shown as a row of their own (the source's order is kept).

**Pieces** (numbered_atoms.py). A row's pieces are those between the PDF's gaps, cut where the extraction glued
cells together: the row number (``1.漁農自然護理署``); money followed by more than a stop (``ApL應用學習217,000元
調配…``); figures run together (``62 000 4.3 3.2未有評分``, ``入錶易930 000``); the department at the start of
the first piece (one printed on its own after another row's number, else the whole piece when it ends like a
department, ``發展局古物古蹟辦事處``, else the shortest start ending in 署 局 處 司 台 關 辦公室 辦事處, but not a
start that ends with the department of the rows above, ``發展消防處…``); a sentence glued to the name, cut where
the most other pieces of the annex end alike after something else (``香港地質`` | ``由內部開發，…``).

**Columns** (numbered_cells.py). The pieces are shared among the columns in order, each taking a run (possibly
none), so that the cells fit their kinds best: money or a Chinese sentence for a cost, digits and a bracketed
remark for a count, ``3.8`` or ``未有評分`` for a rating, ``2020年11月`` for a date, a figure for an amount, a
department's name, any other text for a name or text column (no money in it, not run across a gap into a
sentence; a name is no sentence, and ends at the note mark printed after it, ``Reading Town 2 #``). A
sentence cut before its end does not end a cell, nor does a line going on into the next (a word across the
break, ``升`` + ``級``); a bracket, note mark, unit or stop does not start one. An empty cell is allowed at a small cost (a value printed once for several rows: a department printed
once is ``""`` below, except in a numbered annex, which prints it on every row); a value printed across
columns goes in the first; among fits equal by these rules the most even wins. Text columns glued together
(``先進物料減少因腐蝕…``) are cut again where the other rows' cells of those columns start or end, a sentence
not allowed in a column that holds only terms. Cells printed over several lines are joined without the spaces
the extraction put next to Chinese; a letter-spaced table (``2 0 2 0年11月``) loses its spaces inside figures
and words; a count's digits are grouped by thousands (``1 | 3 | 0 | 00`` is ``13 000``).

**Confidence.** A table with a row that fits only by breaking a rule (a cell costing numbered_DOUBT), or
whose header does not give one label per column, is kept as its source lines, marked not reconstructed; so is
the whole region when its tables would not hold every character of its source, in order.
"""

from __future__ import annotations

import dataclasses
import re

from replies.tables.cells import BAR
from replies.tables.model import DataTable
from replies.tables.numbered_atoms import (ROW_NUMBER, Context, atom, department_of, glued_sentence_at, line_atoms,
                                           may_be_department)
from replies.tables.numbered_cells import DOUBT, Fit, assign, cell_cost, cell_text, learn_edges, refit
from replies.tables.numbered_header import kind as label_kind
from replies.tables.numbered_header import read_labels, with_subs
from replies.tables.numbered_parts import Part, numbered_rows, project_rows, read_parts
from replies.tables.regions import Region, annex_regions
from replies.tables.words import printed, printed_again, unclosed, word_across

_SPACED = re.compile(r"(?<!\d)\d \d \d(?!\d)")
_DEPARTMENTS = ("dept", "department")
MAX_ROW_ATOMS = 60


def region_tables(field_name: str, paragraphs: list[str], region: Region) -> list[DataTable] | None:
    """The tables of an annex region, or None for any other region (left to the general rules)."""
    if not region.annex:
        return None
    lines = region.lines(paragraphs)
    span = (region.first, region.last)
    parts = read_parts(lines)
    if not parts:
        return [_source_table(field_name, [], lines, [], span)]
    context = _context(parts)
    tables = [_table(field_name, part, context, span, lambda: _ratings_by_header(paragraphs)) for part in parts]
    if not _keeps_every_character(lines, tables):
        return [_source_table(field_name, [], lines, [], span)]
    return [dataclasses.replace(table, rows=_continuations_joined(table.rows)) for table in tables]


# Tables ---------------------------------------------------------------------------------------------------------

def _context(parts: list[Part]) -> Context:
    """Every printed piece of the annex, and the departments printed on their own after a row's number."""
    segments = [segment.strip() for part in parts for line in part.lines for segment in line.split(BAR)]
    departments = set()
    for part in parts:
        for row in numbered_rows(part)[0] if part.numbered else []:
            pieces = [segment.strip() for line in row for segment in line.split(BAR) if segment.strip()]
            number = ROW_NUMBER.match(pieces[0])
            name = (number.group(2) or (pieces[1] if len(pieces) > 1 else "")).strip() if number else ""
            if may_be_department(name):
                departments.add(name)
    return Context([segment for segment in segments if segment], departments)


def _ratings_by_header(paragraphs: list[str]) -> dict[str, int]:
    """For each annex header of the field (its printed characters), the most ratings a row under it shows: a
    header printed again in a later region (after the notes, its lines cut anyhow) shares its columns with the
    rows under it earlier."""
    rated: dict[str, int] = {}
    for region in annex_regions(paragraphs):
        for part in read_parts(region.lines(paragraphs)):
            rows = numbered_rows(part)[0] if part.numbered else project_rows(part)[0]
            most = max((_ratings(row) for row in rows), default=0)
            rated[printed(part.header)] = max(rated.get(printed(part.header), 0), most)
    return rated


def _table(field_name: str, part: Part, context: Context, span: tuple[int, int], elsewhere) -> DataTable:
    """The part as a table; ``elsewhere()`` gives the ratings shown under each header of the field's annexes."""
    caption = " ".join(part.caption)
    labels, words = read_labels(part.header)
    rows, continuations = numbered_rows(part) if part.numbered else project_rows(part)
    if not rows or not labels:
        return _source_table(field_name, part.caption, part.lines, part.notes, span)
    spaced = any(_SPACED.search(line) for line in part.lines)
    context = Context(context.segments, context.departments, spaced)
    rated = max((_ratings(row) for row in rows), default=0)
    if words and rated < 2:  # no row under this header shows its ratings: the rows under it elsewhere do
        rated = elsewhere().get(printed(part.header), 0)
    if part.numbered and label_kind(labels[0]) != "number":
        labels = ["", *labels]
    columns = len(labels) - 1 + rated if words else len(labels)
    labels = with_subs(labels, words, rated) if words else labels
    if labels is None or len(labels) != columns:
        return _source_table(field_name, part.caption, part.lines, part.notes, span)
    kinds = [_kind(label, index, part.numbered) for index, label in enumerate(labels)]
    read = _read_rows(rows, continuations, kinds, context, part.numbered)
    if read is None:
        return _source_table(field_name, part.caption, part.lines, part.notes, span)
    return DataTable(field_name, caption, tuple(labels), read, tuple(part.notes), True,
                     tuple(part.lines), span, len(part.header))


def _kind(label: str, index: int, numbered: bool) -> str:
    """The label's kind; in a numbered annex the first column holds the number, and every row prints its
    department."""
    if numbered and index == 0 and not label:
        return "number"
    kind = label_kind(label)
    return "department" if numbered and kind == "dept" else kind


def _ratings(row: list[str]) -> int:
    """The most ratings the row shows one after another (one per store)."""
    run = longest = 0
    for piece in (piece for line in row for piece in line_atoms(line)):
        run = run + 1 if cell_cost("rating", [piece]) < 1 else 0
        longest = max(longest, run)
    return longest


def _read_rows(rows, continuations, kinds, context, numbered) -> tuple[tuple[str, ...], ...] | None:
    """Each row's cells; None when a row fits its columns only by breaking a rule."""
    fits: list[tuple[list[str], Fit | None]] = []
    above = ""
    for index, row in enumerate(rows):
        atoms = _row_atoms(row, kinds, context, above) if numbered else _project_atoms(row, kinds, context, above)
        if len(atoms) > MAX_ROW_ATOMS:
            return None  # no row of an annex is printed in so many pieces
        if index in continuations and fits and fits[-1][1] and (cut := _cut_before(fits[-1][0], atoms)):
            fits[-1] = (cut, assign(cut, kinds))
        fit = None if index in continuations else assign(atoms, kinds)
        fits.append((atoms, fit))
        if fit:  # the department of the rows above, for the next row's first piece
            above = next(("".join(run) for run, kind in zip(fit.runs, kinds) if kind in _DEPARTMENTS and run), above)
    edges = learn_edges([fit for _, fit in fits if fit], kinds)
    read: list[tuple[str, ...]] = []
    for atoms, fit in fits:
        if fit is None:
            read.append(_continuation(atoms, kinds, read[-1] if read else None))
            continue
        fit = refit(atoms, fit, kinds, edges)
        if fit.worst >= DOUBT:
            return None
        read.append(tuple(cell_text(kind, run, context.spaced) for kind, run in zip(kinds, fit.runs)))
    return tuple(read)


def _row_atoms(row: list[str], kinds: list[str], context: Context, above: str) -> list[str]:
    """A numbered row's atoms: its number, then its pieces, the first ones cut (``_cut_glued``)."""
    first = row[0].split(BAR)
    match = ROW_NUMBER.match(first[0].strip())
    if not match:
        return [piece for line in row for piece in line_atoms(line)]
    rest_of_first = BAR.join([match.group(2), *first[1:]])
    pieces = [*line_atoms(rest_of_first), *(piece for line in row[1:] for piece in line_atoms(line))]
    return [match.group(1), *_cut_glued(pieces, kinds, context, above)]


def _project_atoms(row: list[str], kinds: list[str], context: Context, above: str) -> list[str]:
    return _cut_glued(list(row), kinds, context, above)


def _cut_glued(atoms: list[str], kinds: list[str], context: Context, above: str) -> list[str]:
    """The department glued to the first piece, and a sentence glued to the name after it, cut off
    (numbered_atoms.department_of and numbered_atoms.glued_sentence_at)."""
    if not atoms:
        return atoms
    pieces, rest = [atoms[0]], atoms[1:]
    if any(kind in _DEPARTMENTS for kind in kinds):
        department = department_of(atoms[0], context, above)
        if department and len(department) < len(atoms[0]):
            pieces = [atom(department, department=True), atom(atoms[0][len(department):])]
        elif department:
            pieces = [atom(department, department=True), *(rest[:1])]
            rest = rest[1:]
    if "cost" in kinds and "name" in kinds and len(pieces) > 1:
        name = pieces[-1]
        start = glued_sentence_at(name, context)
        if start:
            pieces[-1:] = [atom(name[:start], getattr(name, "after_bar", False)), atom(name[start:])]
    return [*pieces, *rest]


def _cut_before(above: list[str], continuation: list[str]) -> list[str] | None:
    """The row above with its piece cut where the continuation's first word starts, when that piece ran on into
    the next cell: the page cut the cell short (``…赤柱監獄，石`` + ``壁監獄…``), so its last line was printed
    glued to the next cell's first (``石自動化監察／…``). None when no piece runs on."""
    if not continuation:
        return None
    for number, piece in reversed(list(enumerate(above))):
        opened = unclosed("".join(above[:number]))
        for position in range(len(piece) - 1, 0, -1):
            if opened + unclosed(piece[:position]) > 0 and word_across(piece[:position], continuation[0]):
                rest = atom(piece[position:], glued=True)
                return [*above[:number], atom(piece[:position], getattr(piece, "after_bar", False)), rest,
                        *above[number + 1:]]
    return None


def _continuations_joined(rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """A row of one cell that closes the bracket its column left open in the row above is the end of that cell,
    cut by a page break: put at the end of it (one cell). Done once the region is known to keep every character
    in the source's order, which the row of its own does."""
    joined: list[tuple[str, ...]] = []
    for row in rows:
        filled = [column for column, cell in enumerate(row) if cell]
        above = joined[-1] if joined else None
        if above and len(filled) == 1 and unclosed(above[filled[0]]) > 0 and unclosed(row[filled[0]]) < 0:
            column = filled[0]
            joined[-1] = (*above[:column], above[column] + row[column], *above[column + 1:])
        else:
            joined.append(row)
    return tuple(joined)


def _continuation(atoms: list[str], kinds: list[str], above: tuple[str, ...] | None) -> tuple[str, ...]:
    """A piece continuing a cell of the row above, under that cell: the one with an open bracket, else the
    first text column."""
    text = cell_text("text", atoms, False)
    column = next((i for i, cell in enumerate(above or ()) if unclosed(cell) > 0), None)
    if column is None:
        column = next((i for i, kind in enumerate(kinds) if kind in ("name", "text")), 0)
    return tuple(text if i == column else "" for i in range(len(kinds)))


def _source_table(field_name, caption, lines, notes, span) -> DataTable:
    rows = tuple(tuple(s.strip() for s in line.split(BAR) if s.strip()) for line in lines)
    return DataTable(field_name, " ".join(caption), (), rows, tuple(notes), False, tuple(lines), span, 0)


def _keeps_every_character(lines: list[str], tables: list[DataTable]) -> bool:
    """Every non-space character of the region, in order, in the tables' captions, header lines, cells and
    notes, each table's lines standing in the region as printed (its header printed again among them apart)."""
    def characters(texts) -> str:
        return "".join("".join(text.replace(BAR, "").split()) for text in texts)

    source, cursor = [], 0
    for table in tables:
        own, header = list(table.source_lines), list(table.source_lines[: table.header_lines])
        start = next((i for i in range(cursor, len(lines) + 1) if lines[i : i + len(own)] == own), None)
        if start is None:
            return False
        kept = own[: len(header)] + _without(own[len(header):], header)
        source += [*lines[cursor:start], *kept]
        cursor = start + len(own)
    source += lines[cursor:]
    made = characters(piece for table in tables for piece in (
        table.caption, *table.source_lines[: table.header_lines], *(c for row in table.rows for c in row),
        *table.notes))
    return characters(source) == made


def _without(lines: list[str], header: list[str]) -> list[str]:
    kept, index = [], 0
    while index < len(lines):
        if header and (size := printed_again(lines, index, header)):
            index += size
        else:
            kept.append(lines[index])
            index += 1
    return kept
