"""Where the tables of a stored field are: runs of table paragraphs, with their caption and notes.

The stored field (replies/importing/cleaning.py) separates paragraphs by a blank line and keeps a table's rows
as the lines of one paragraph; a page break cuts a table into two such paragraphs, sometimes with a header
piece or a lone figure printed between them as paragraphs of their own. A *region* is a run of table
paragraphs with such short pieces between them; its caption is the paragraph just before it when that
introduces it (ends with a colon or says 如下 / 表列), and its notes are the paragraphs just after it that start
with a note mark (註, 備註, *, ^, #).

An *annex region* (``Region.annex``) is read differently, since an annex's long table is printed one cell per
paragraph as often as one row per line, with prose-like cells (``由內部開發，不涉及額外開支。``) that would end
an ordinary region. An annex starts at a line ``附件``, ``附件一``, ``附件A`` … that is followed, after at most
MAX_TITLE_LINES title lines, by a header (a line starting with ``編號``, or a line of labels cut by the PDF's
gaps, without figures); it runs to the next such ``附件`` line or the end of the field, whatever it holds, but
for a paragraph of prose longer than any cell (MAX_CELL_TEXT) that would end it.
Notes printed under its rows (``註：…``, ``# | 只備英文版本``) end it, and when its header is printed again after
them (the annex goes on over the next page), that header starts another annex region. Annexes that share a
paragraph (``附件C`` printed in the paragraph of ``附件B``'s rows) are one region. An annex without such a
header (prose, one entry per paragraph) is left to the ordinary rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from replies.tables.cells import BAR

_INTRODUCES = re.compile(r"[:：]\s*$|如下|表列|下表")
_NOTE = re.compile(r"^(?:註|備註|附註|[*＊^#△]|\(註|（註)")
_PROSE = re.compile(r"[。，；！？]")
MAX_PIECE = 40  # a paragraph between two table paragraphs this short, without prose marks, is a table piece

ANNEX_MARK = "附件"
ANNEX_TITLE = re.compile(rf"^{ANNEX_MARK}\s*[A-Za-z0-9一二三四五六七八九十]{{0,3}}$")
MAX_CELL_TEXT = 100  # a paragraph longer than this, no table line, is prose: longer than any cell of an annex
NOTE_LINE = re.compile(r"^(?:註|備註|附註)|^[*＊^#△]\s*(?:\||[:：])")  # "註：…", "# | 只備英文版本"
MAX_TITLE_LINES = 4
_FIGURE = re.compile(r"\d")


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
    annex: bool = False  # an annex's table(s), from its 附件 line (or its header printed again) on: numbered.py

    def lines(self, paragraphs: list[str]) -> list[str]:
        return [line.strip() for chunk in paragraphs[self.first : self.last + 1]
                for line in chunk.split("\n") if line.strip()]


def regions(paragraphs: list[str]) -> list[Region]:
    annexes = annex_regions(paragraphs)
    found: list[Region] = []
    index = 0
    while index < len(paragraphs):
        annex = next((region for region in annexes if region.first == index), None)
        if annex is not None:
            found.append(annex)
            index = annex.last + 1
            continue
        if not is_table_chunk(paragraphs[index]):
            index += 1
            continue
        stop = next((region.first for region in annexes if region.first > index), len(paragraphs))
        first = last = index
        probe = index + 1
        while probe < stop:
            if is_table_chunk(paragraphs[probe]):
                last = probe
            elif not _is_piece(paragraphs[probe]) or not _table_follows(paragraphs[:stop], probe):
                break
            probe += 1
        found.append(_region(paragraphs[:stop], first, last, found[-1].last if found else -1))
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


# Annexes ------------------------------------------------------------------------------------------------------

def is_header_start(line: str) -> bool:
    """The first line of an annex table's header: ``編號…``, or labels cut by gaps without a figure."""
    return line.startswith("編號") or (BAR in line and not _FIGURE.search(line) and not _PROSE.search(line))


def annex_header_at(lines: list[str], title: int) -> int | None:
    """The index of the header line of the annex titled at ``lines[title]``, or None when it has no table."""
    for index in range(title + 1, min(len(lines), title + 2 + MAX_TITLE_LINES)):
        if is_header_start(lines[index]):
            return index
        if BAR in lines[index] or re.match(r"^\d+\.", lines[index]):
            return None
    return None


def annex_regions(paragraphs: list[str]) -> list[Region]:
    """The annex regions of the field (see the module's docstring), in order."""
    if not any(ANNEX_MARK in paragraph for paragraph in paragraphs):
        return []  # no annex title can start: most fields, so their lines are not even cut
    lines = [(line.strip(), number) for number, chunk in enumerate(paragraphs)
             for line in chunk.split("\n") if line.strip()]
    texts = [text for text, _ in lines]
    titles = [i for i, text in enumerate(texts) if ANNEX_TITLE.match(text)]
    spans: list[list[int]] = []
    for position, title in enumerate(titles):
        header = annex_header_at(texts, title)
        end = titles[position + 1] - 1 if position + 1 < len(titles) else len(lines) - 1
        first, last = lines[title][1], _before_prose(paragraphs, lines[header][1] if header else 0, lines[end][1])
        joins = bool(spans) and spans[-1][1] >= first
        if header is None or (not joins and paragraphs[first].split("\n")[0].strip() != texts[title]):
            continue
        for start, stop in _cut_after_notes(paragraphs, first, last, texts[header]):
            if spans and spans[-1][1] >= start:
                spans[-1][1] = max(spans[-1][1], stop)
            else:
                spans.append([start, stop])
    return [Region(first, last, None, (), annex=True) for first, last in spans]


def _before_prose(paragraphs: list[str], header: int, last: int) -> int:
    """The annex's last paragraph: the one before the first paragraph of prose after its header, if any."""
    return next((index - 1 for index in range(header + 1, last + 1)
                 if len(paragraphs[index]) > MAX_CELL_TEXT and not is_table_chunk(paragraphs[index])), last)


def _cut_after_notes(paragraphs: list[str], first: int, last: int, header: str) -> list[tuple[int, int]]:
    """The annex's paragraphs cut after each run of note paragraphs that its header follows again."""
    spans = []
    start = first
    for index in range(first + 1, last + 1):
        opening = paragraphs[index].split("\n")[0].strip()
        previous = paragraphs[index - 1].split("\n")[0].strip()
        if NOTE_LINE.match(previous) and (opening == header or opening.startswith("編號")):
            spans.append((start, index - 1))
            start = index
    spans.append((start, last))
    return spans
