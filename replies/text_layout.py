"""Turn a reply's stored text into blocks a page can lay out: paragraphs, numbered parts, tables, rows.

The parser stores paragraphs separated by a blank line; a numbered part (1. (a) (一) (i) …) starts its own
paragraph; a table is one block whose rows are separated by a line break and whose cells by " | " (a row may
have a single cell when the PDF's layout could not be recovered). ``placed`` puts the reply's reconstructed
tables (``Reply.tables``, replies/tables) in place of the paragraphs they cover. Pure functions, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CELL_SEPARATOR = " | "

# A part label at the start of a paragraph: 1.  1)  (1)  a)  (a)  a.  (i)  (一)  （一）, followed by text.
# "1.5億" and "2023-24" are not labels: a label's full stop or bracket is followed by a space or a non-digit.
_PART_LABEL = re.compile(
    r"^(?P<label>[(（](?:\d{1,2}|[a-zA-Z]|[ivxIVX]{2,5}|[一二三四五六七八九十]{1,3})[)）]"
    r"|(?:\d{1,2}|[a-zA-Z])[.)](?:及(?:\d{1,2}|[a-zA-Z])[.)])?)"
    r"(?=\s|[^\d.,)])\s*"
)


@dataclass(frozen=True)
class Paragraph:
    text: str
    label: str = ""  # "(一)" when the paragraph is a numbered part

    kind = "paragraph"


@dataclass(frozen=True)
class Table:
    """Rows whose cells could be recovered; ``width`` is the widest row (shorter rows span the rest)."""

    rows: tuple[tuple[str, ...], ...]

    kind = "table"

    @property
    def width(self) -> int:
        return max(len(row) for row in self.rows)


@dataclass(frozen=True)
class Rows:
    """Lines of a table whose columns could not be recovered: shown one line per row, cells kept apart."""

    rows: tuple[tuple[str, ...], ...]

    kind = "rows"


@dataclass(frozen=True)
class PlacedTable:
    """A table of ``Reply.tables`` (a dict, see replies/tables/model.py) in place of the paragraphs it covers;
    ``number`` is its 1-based position in ``Reply.tables`` (its CSV is ``tables/<number>.csv``)."""

    number: int
    table: dict

    kind = "data"


Block = Paragraph | Table | Rows | PlacedTable


def layout(text: str) -> list[Block]:
    """The blocks of a stored text, in order; empty text gives no blocks."""
    blocks: list[Block] = []
    for chunk in (text or "").split("\n\n"):
        chunk = chunk.strip()
        if chunk:
            blocks.append(_block(chunk))
    return blocks


def placed(text: str, tables: list[tuple[int, dict]]) -> list[Block]:
    """The blocks of ``text`` with each (number, table) at its first paragraph instead of the paragraphs its
    ``chunks`` cover (caption and notes included); tables sharing a place come in the given order. A table whose
    place lies past the end of the text (the text was edited after the tables were computed) comes last."""
    blocks = layout(text)
    at: dict[int, list[PlacedTable]] = {}
    covered: set[int] = set()
    for number, table in tables:
        first, last = table["chunks"]
        at.setdefault(min(first, len(blocks)), []).append(PlacedTable(number, table))
        covered.update(range(first, last + 1))
    found: list[Block] = []
    for index, block in enumerate(blocks):
        found.extend(at.get(index, ()))
        if index not in covered:
            found.append(block)
    found.extend(at.get(len(blocks), ()))
    return found


def _block(chunk: str) -> Block:
    lines = [line.strip() for line in chunk.split("\n") if line.strip()]
    if len(lines) == 1 and CELL_SEPARATOR not in lines[0]:
        return _paragraph(lines[0])
    rows = tuple(tuple(cell.strip() for cell in line.split(CELL_SEPARATOR)) for line in lines)
    if all(len(row) > 1 for row in rows):
        return Table(rows)
    return Rows(rows)


def _paragraph(line: str) -> Paragraph:
    match = _PART_LABEL.match(line)
    if not match or match.end() == len(line):
        return Paragraph(line)
    return Paragraph(line[match.end():], label=match.group("label"))
