"""Where an annex region's tables and rows are (numbered.py has the rules): its parts, each a printed table
with its caption, header, lines and notes, and each part's rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from replies.tables.cells import BAR
from replies.tables.numbered_atoms import ROW_NUMBER, line_atoms
from replies.tables.regions import ANNEX_TITLE, MAX_TITLE_LINES, NOTE_LINE, is_header_start
from replies.tables.words import printed_again, unclosed

MAX_HEADER_LINES = 24
_AMOUNT = re.compile(r"^\d+\.\d+$")


@dataclass
class Part:
    """One printed table of an annex."""

    caption: list[str]
    header: list[str]
    numbered: bool
    lines: list[str] = field(default_factory=list)  # header, rows and headers printed again, as printed
    notes: list[str] = field(default_factory=list)
    repeats: dict[int, int] = field(default_factory=dict)  # where in ``lines`` a header printed again starts: its size

    def kept(self) -> list[str]:
        """The lines without the headers printed again."""
        kept, index = [], 0
        while index < len(self.lines):
            if index in self.repeats:
                index += self.repeats[index]
                continue
            kept.append(self.lines[index])
            index += 1
        return kept


def read_parts(lines: list[str]) -> list[Part]:
    parts: list[Part] = []
    headers: list[list[str]] = []
    caption: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if ANNEX_TITLE.match(line):
            caption, index = _title(lines, index)
            continue
        part = parts[-1] if parts and not caption else None
        block = [] if part and part.notes else _header_block(lines, index, part, headers)
        if block and part and printed_again(block, 0, part.header) == len(block):
            part.repeats[len(part.lines)] = len(block)
            part.lines += block
        elif block:
            headers.append(block)
            parts.append(Part(caption, block, _numbered(lines, index + len(block)), list(block)))
            caption = []
        elif part is None:
            return []
        elif part.notes or (NOTE_LINE.match(line) and len(part.lines) > len(part.header)):
            part.notes.append(line)
        else:
            part.lines.append(line)
        index += max(1, len(block))
    return parts


def _title(lines: list[str], index: int) -> tuple[list[str], int]:
    caption = [lines[index]]
    index += 1
    while index < len(lines) and len(caption) <= MAX_TITLE_LINES and not is_header_start(lines[index]):
        caption.append(lines[index])
        index += 1
    return caption, index


def _numbered(lines: list[str], index: int) -> bool:
    return index < len(lines) and bool(ROW_NUMBER.match(lines[index]))


def _header_block(lines: list[str], index: int, part: Part | None, headers: list[list[str]]) -> list[str]:
    """The header lines starting at ``index`` ([] when no header starts there). Under a table, only a line
    starting with 編號 or the first line of a header already printed starts one."""
    line = lines[index]
    if part is not None:
        if not (line.startswith("編號") or any(line == header[0] for header in headers)):
            return []
        if not part.numbered:
            return next((h for h in headers if lines[index : index + len(h)] == h), [])
    elif not is_header_start(line):
        return []
    for stop in range(index + 1, min(len(lines), index + MAX_HEADER_LINES)):
        if ROW_NUMBER.match(lines[stop]):
            return lines[index:stop]
    return [] if part is not None else _project_header(lines, index)


def _project_header(lines: list[str], index: int) -> list[str]:
    """The first line and the lines printed again with it later, or the bracket under it."""
    for size in range(6, 1, -1):
        block = lines[index : index + size]
        if any(lines[later : later + size] == block for later in range(index + size, len(lines))):
            return block
    size = 1
    while index + size < len(lines) and lines[index + size].startswith(("(", "（")) and len(lines[index + size]) < 12:
        size += 1
    return lines[index : index + size]


# Rows -----------------------------------------------------------------------------------------------------------

def numbered_rows(part: Part) -> tuple[list[list[str]], set[int]]:
    """Each row's lines, and which rows continue the row above (the lines before the first numbered one)."""
    rows: list[list[str]] = []
    expected = None
    for line in part.kept()[len(part.header):]:
        number = ROW_NUMBER.match(line.split(BAR)[0].strip())
        if number and expected in (None, int(number.group(1)[:-1])):
            rows.append([line])
            expected = int(number.group(1)[:-1]) + 1
        elif rows:
            rows[-1].append(line)
        else:
            rows.append([line])
    first_numbered = ROW_NUMBER.match(rows[0][0].split(BAR)[0].strip()) if rows else True
    return rows, set() if first_numbered else {0}


def project_rows(part: Part) -> tuple[list[list[str]], set[int]]:
    """Each row's atoms (a row ends at its amount), and which rows continue a bracket over a page break."""
    rows: list[list[str]] = [[]]
    continuations: set[int] = set()
    after_repeat = False
    position = len(part.header)
    while position < len(part.lines):
        if position in part.repeats:
            position += part.repeats[position]
            after_repeat = True
            continue
        for piece in line_atoms(part.lines[position]):
            previous = rows[-2] if not rows[-1] and len(rows) > 1 else None
            if after_repeat and previous and unclosed("".join(previous)) > 0 and unclosed(piece) < 0:
                continuations.add(len(rows) - 1)
                rows[-1] = [piece]
                rows.append([])
            else:
                rows[-1].append(piece)
                if _AMOUNT.match(piece):
                    rows.append([])
            after_repeat = False
        position += 1
    return [row for row in rows if row], continuations
