"""Where the tables of a stored field are: runs of table paragraphs, with their caption and notes.

The stored field (replies/importing/cleaning.py) separates paragraphs by a blank line and keeps a table's rows
as the lines of one paragraph; a page break cuts a table into two such paragraphs, sometimes with a header
piece or a lone figure printed between them as paragraphs of their own. A *region* is a run of table
paragraphs with such short pieces between them; its caption is the paragraph just before it when that
introduces it (ends with a colon or says 如下 / 表列), and its notes are the paragraphs just after it that start
with a note mark (註, 備註, *, ^, #).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from replies.tables.cells import BAR

_INTRODUCES = re.compile(r"[:：]\s*$|如下|表列|下表")
_NOTE = re.compile(r"^(?:註|備註|附註|[*＊^#△]|\(註|（註)")
_PROSE = re.compile(r"[。，；！？]")
MAX_PIECE = 40  # a paragraph between two table paragraphs this short, without prose marks, is a table piece


def chunks(text: str) -> list[str]:
    """The field's paragraphs, as replies.text_layout.layout counts them."""
    return [chunk.strip() for chunk in (text or "").split("\n\n") if chunk.strip()]


def is_table_chunk(chunk: str) -> bool:
    return "\n" in chunk or BAR in chunk


@dataclass(frozen=True)
class Region:
    first: int  # first table paragraph
    last: int  # last table paragraph
    caption: int | None  # the introducing paragraph
    notes: tuple[int, ...]

    def lines(self, paragraphs: list[str]) -> list[str]:
        return [line.strip() for chunk in paragraphs[self.first : self.last + 1]
                for line in chunk.split("\n") if line.strip()]


def regions(paragraphs: list[str]) -> list[Region]:
    found: list[Region] = []
    index = 0
    while index < len(paragraphs):
        if not is_table_chunk(paragraphs[index]):
            index += 1
            continue
        first = last = index
        probe = index + 1
        while probe < len(paragraphs):
            if is_table_chunk(paragraphs[probe]):
                last = probe
            elif not _is_piece(paragraphs[probe]) or not _table_follows(paragraphs, probe):
                break
            probe += 1
        found.append(_region(paragraphs, first, last, found[-1].last if found else -1))
        index = max(last, max(found[-1].notes, default=last)) + 1
    return found


def _is_piece(chunk: str) -> bool:
    return len(chunk) <= MAX_PIECE and not _PROSE.search(chunk) and not _NOTE.match(chunk)


def _table_follows(paragraphs: list[str], index: int) -> bool:
    """A run of short pieces from ``index`` on, then a table paragraph."""
    for chunk in paragraphs[index:]:
        if is_table_chunk(chunk):
            return True
        if not _is_piece(chunk):
            return False
    return False


def _region(paragraphs: list[str], first: int, last: int, previous_end: int) -> Region:
    caption = first - 1 if first - 1 > previous_end and _INTRODUCES.search(paragraphs[first - 1]) else None
    notes = []
    probe = last + 1
    while probe < len(paragraphs) and _NOTE.match(paragraphs[probe]) and not is_table_chunk(paragraphs[probe]):
        notes.append(probe)
        probe += 1
    return Region(first, last, caption, tuple(notes))
