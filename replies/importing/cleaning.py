"""Turn the raw lines of one question or reply, as extracted from the PDF, into readable text.

The extraction leaves an empty line after most printed lines, spaces between Chinese characters
(justified text), lines cut at the page width, and tables flattened into short lines.  The parser
removes page footers and repeated page headers (see PAGE_FOOTER, page_header_pattern) before
calling `clean_section`, which returns:

* paragraphs separated by "\n\n", each paragraph on one line;
* a table as one block of rows separated by "\n", one printed row per line, cells separated by
  " | " (CELL_SEPARATOR).  Cell boundaries are taken where the PDF shows them: a run of two or
  more spaces, and a single space between a row's label and its numbers or between two numbers
  ("2016 0" -> "2016 | 0"), except a thousands group, which stays one cell ("2020 1 536" ->
  "2020 | 1 536"); "8 440 120" is thus one cell, as the text cannot tell it from 8,440,120.  When
  a row has fewer cells and fewer numbers than the widest data row of its table, its groups are
  split to make up the difference ("392 258" -> "392 | 258").  A cell wrapped over several lines
  is joined ("評審委員會支" + "持申請宗數"); a line without visible boundaries (a header cell
  printed on its own, such as "營運開支") is a row of one cell.  A line whose cells are known (a PDF
  table's, separated by KNOWN_CELL_SEPARATOR) is a row of those cells, however long or punctuated; empty
  cells at either end of a row are left out, as a text extraction shows them.

Lines are joined into paragraphs; a paragraph ends at a numbered part ("1." "(a)" "(一)" "(i)"
"(1)" "一、" "註：") or a URL on its own line, and otherwise where the extraction marks it:
after a line that ends short of the right margin, at sentence-final punctuation, a blank line,
trailing spaces (the extraction's paragraph mark) or an indented next line; after a line that
reaches the margin, only at final punctuation or a blank line that come with the paragraph mark
(a full line without it is a sentence wrapped, even across a page break).

Spaces next to a Chinese character or Chinese punctuation are artefacts (Chinese text has none),
so they are removed: "創 科 生 態" -> "創科生態", "於 2001年" -> "於2001年".  Spaces between
two Latin words or two digit groups are kept: "the Government", "1 300".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

CJK_CHARS = (
    "\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\ufe10-\ufe1f\ufe30-\ufe4f\ufe50-\ufe6f\uff00-\uffef"
)
CELL_SEPARATOR = " | "
# Between the cells of a row whose cells are known (a PDF table's, from its ruling lines): the ASCII unit
# separator, which no printed text contains and which reads as a space wherever the line is taken as text.
KNOWN_CELL_SEPARATOR = "\x1f"
# A line at least this wide (Chinese characters count 2) reaches the right margin: when it has no
# final punctuation, the sentence goes on.  Full lines measure 60 to 72, the last line of a
# paragraph or a table row usually much less.
WIDE_LINE = 50

_WHITESPACE = re.compile(r"\s+")
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{CJK_CHARS}]) +| +(?=[{CJK_CHARS}])")
_SPACE_INSIDE_PARENTHESES = re.compile(r"(?<=[(（]) +| +(?=[)）])")
_SPLIT_NUMBER = re.compile(r"(?<=\d) (?=[.,]\d)")  # "3 .2", "2 ,618,000元"
_SENTENCE_END = "。？！；：?!;:"
_CLOSERS = "」』）)》〉\"'”’"
_PROSE_PUNCTUATION = frozenset("，。；？！")

_CHINESE_NUMERAL = "[一二三四五六七八九十]{1,3}"
_ONE_MARKER = (
    r"(?:\d{1,2}\.(?!\d)"
    rf"|[(（]\s*(?:\d{{1,2}}|[a-z]|[ivx]{{1,5}}|{_CHINESE_NUMERAL})\s*[)）]"
    r"|(?:\d{1,2}|[a-z])\)"
    r"|[a-z]\.(?![a-z])"
    rf"|{_CHINESE_NUMERAL}(?:及{_CHINESE_NUMERAL})*、)"
)
_MARKERS = rf"{_ONE_MARKER}(?:\s*(?:及|和|至)\s*{_ONE_MARKER})*"
_NUMBERED_START = re.compile(rf"^(?:{_MARKERS}|註\s*\d*\s*[：:]|#\s)")
_BARE_MARKER = re.compile(rf"^{_ONE_MARKER}(?:\s*(?:及|和|至|、)\s*(?:{_ONE_MARKER})?)*$")
_LEADING_MARKER = re.compile(rf"^({_MARKERS}) *")
_URL = re.compile(r"^https?://\S+$")

_NUMBER = re.compile(r"^\(?[-–]?\d(?:[\d,.\-/]*\d)?(?:%|萬元|億元|萬|億|元|年)?\)?\*?$|^[-–—]$")
_OPENING = re.compile(r"[(（]")
_CLOSING = re.compile(r"[)）]")
_HEADER_WORD = re.compile(r"[\u4e00-\u9fff]{2,8}")
_THOUSANDS_GROUP = re.compile(r"^\d{3}\*?$")  # "98 000*": a group, then a note mark
_GROUPS = re.compile(r"\d{1,3}(?: \d{3})*")
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?: \d{3})+$")


# Page furniture, removed from questions and replies.  "第  17 節  ITIB - 第  2 頁" also gives the page.
PAGE_FOOTER = re.compile(r"^\s*第\s*(?P<session>\d+)\s*節\s*(?P<prefix>\S.*?)\s*-\s*第\s*(?P<page>\d+)\s*頁\s*$")


def page_header_pattern(serial: str) -> re.Pattern[str]:
    """The lines of the header printed above each reply (rarely repeated mid-body); `serial` is a regex."""
    return re.compile(
        rf"^\W*(?:審核\s*\d{{4}}\s*-\s*\d{{2}}\s*年度\s*答覆編號|開支預算|管制人員的答覆|{serial})\s*$"
    )


_COLON_VARIANTS = str.maketrans({"︰": "：", "﹕": "：", ":": "："})


def normalise_colons(text: str) -> str:
    """Names are printed with either colon ("政府總部︰..." and "政府總部：..."): use U+FF1A."""
    return text.translate(_COLON_VARIANTS)


def clean_inline(text: str) -> str:
    """One paragraph or cell: whitespace collapsed, artefact spaces removed."""
    text = _WHITESPACE.sub(" ", text).strip()
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    text = _SPACE_INSIDE_PARENTHESES.sub("", text)
    return _SPLIT_NUMBER.sub("", text)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def table_cells(text: str) -> list[str] | None:
    """The cells of a table row, or None when the stripped line reads as prose."""
    if not text or ends_sentence(text) or _PROSE_PUNCTUATION.intersection(text):
        return None
    if len(_OPENING.findall(text)) > len(_CLOSING.findall(text)):
        return None  # "(截至 2023": the first line of a wrapped cell
    pieces = re.split(r"\s{2,}", text)
    content = pieces[1:] if _BARE_MARKER.match(pieces[0]) else pieces  # "1.<tab>..." is a list item
    if any(piece.endswith((":", "：")) for piece in content[:-1]):
        return None  # "方案 :  名稱" is a label and its value
    narrow = display_width(text) < WIDE_LINE
    sentence_to_margin = not narrow and display_width(pieces[-1]) >= 30
    if not sentence_to_margin and (len(content) >= 3 or (len(content) == 2 and narrow)):
        return [cell for piece in pieces for cell in _split_numbers(piece)]
    words = text.split()
    if len(words) >= 3 and narrow and all(_HEADER_WORD.fullmatch(word) for word in words):
        return words  # "部門 項目名稱 技術應用 預期成效"
    cells = _split_numbers(text)
    numbers = sum(1 for cell in cells if _is_number(cell))
    return cells if len(cells) >= 2 and (narrow or numbers >= 2) else None


def known_cells(raw: str) -> list[str]:
    """A row whose cells the PDF drew: every cell kept, an empty one too (a blank corner, a name printed once
    for several rows), however long or punctuated."""
    return [_SPLIT_NUMBER.sub("", cell.strip()) for cell in raw.split(KNOWN_CELL_SEPARATOR)]


def _split_numbers(piece: str) -> list[str]:
    """Split a row's trailing numbers from its label and from each other, keeping thousands groups."""
    tokens = piece.split()
    start = len(tokens)
    while start > 0 and _NUMBER.match(tokens[start - 1]):
        start -= 1
    cells = [" ".join(tokens[:start])] if start else []
    for token in tokens[start:]:
        if cells and _THOUSANDS_GROUP.match(token) and _is_grouped(cells[-1]):
            cells[-1] += " " + token
        else:
            cells.append(token)
    return cells or [piece]


def _is_grouped(cell: str) -> bool:
    return bool(_GROUPS.fullmatch(cell))


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell) or _GROUPED_NUMBER.match(cell))


def _widen(cells: list[str], widest_cells: int, widest_numbers: int) -> list[str]:
    """Split runs of thousands groups while the row has fewer cells and fewer numbers than the
    widest data row of its table, evenly: "來函數目 | 498 344 640 999 712 147" -> 3 numbers."""
    cells = list(cells)
    while (missing := min(widest_cells - len(cells), widest_numbers - sum(map(_is_number, cells)))) > 0:
        runs = [(len(cell.split()), i) for i, cell in enumerate(cells) if _GROUPED_NUMBER.match(cell)]
        if not runs:
            break
        size, index = max(runs)
        groups = cells[index].split()
        parts = min(missing + 1, size)
        bounds = [size * part // parts for part in range(parts + 1)]
        cells[index : index + 1] = [" ".join(groups[a:b]) for a, b in zip(bounds, bounds[1:])]
    return cells


@dataclass(frozen=True)
class _Line:
    text: str  # stripped, split numbers rejoined
    flat: str  # cleaned as it would read in a paragraph
    leading: int  # spaces before the text: the mark of a bullet the extraction dropped
    trailing: int  # spaces after it: the extraction's paragraph mark
    blank_before: bool
    wide: bool
    cells: list[str] | None

    @classmethod
    def read(cls, raw: str, blank_before: bool) -> _Line:
        text = _SPLIT_NUMBER.sub("", raw.strip())
        flat = clean_inline(text)
        return cls(
            text=text,
            flat=flat,
            leading=len(raw) - len(raw.lstrip()),
            trailing=len(raw) - len(raw.rstrip()),
            blank_before=blank_before,
            wide=display_width(flat) >= WIDE_LINE,
            cells=known_cells(raw) if KNOWN_CELL_SEPARATOR in raw else table_cells(text),
        )

    @property
    def starts_item(self) -> bool:
        return bool(_NUMBERED_START.match(self.text))

    @property
    def is_url(self) -> bool:
        return bool(_URL.match(self.text))


def _read_lines(raw_lines: Iterable[str]) -> list[_Line]:
    """Skip the empty lines the extraction interleaves; a line of spaces is a real blank line."""
    lines: list[_Line] = []
    blank = False
    for raw in raw_lines:
        if not raw.strip():
            blank = blank or raw != ""
            continue
        lines.append(_Line.read(raw, blank))
        blank = False
    return lines


def _starts_paragraph(previous: _Line, line: _Line) -> bool:
    """Whether `line` begins a new paragraph instead of continuing `previous` (see the module docstring)."""
    after_marker = bool(_BARE_MARKER.match(previous.text))  # "1.及" + "3." + text is one paragraph
    if previous.is_url or line.is_url or (line.starts_item and not after_marker):
        return True
    if after_marker:
        return False
    gap = line.blank_before or line.leading > 0
    if previous.wide:  # it ran to the margin: a paragraph ends only with the extraction's mark
        return previous.trailing > 0 and (gap or ends_sentence(previous.flat))
    return ends_sentence(previous.flat) or gap or previous.trailing > 0  # the extraction's paragraph mark


def _may_extend_table(line: _Line) -> bool:
    """A short, unpunctuated line next to table rows: a wrapped header or cell of the table."""
    return not (line.wide or ends_sentence(line.flat) or line.starts_item or line.is_url)


@dataclass
class _Block:
    is_table: bool
    lines: list[_Line] = field(default_factory=list)

    def accepts(self, line: _Line) -> bool:
        if self.is_table:
            return line.cells is not None or (not line.blank_before and _may_extend_table(line))
        return line.cells is None and not _starts_paragraph(self.lines[-1], line)

    def render(self) -> str:
        if self.is_table:
            return self._render_table()
        return _normalise_marker(clean_inline(_join_wrapped(line.text for line in self.lines)))

    def _render_table(self) -> str:
        # The first line is usually the header, whose footnote marks would pass for numbers.
        data_rows = [line.cells for line in self.lines[1:] if line.cells and any(map(_is_number, line.cells))]
        widest_cells = max(map(len, data_rows), default=0)
        widest_numbers = max((sum(map(_is_number, cells)) for cells in data_rows), default=0)
        return "\n".join(_render_unit(unit, widest_cells, widest_numbers) for unit in _table_units(self.lines))


def _table_units(lines: list[_Line]) -> list[list[_Line]]:
    """Rows, each with the lines its last cell wraps onto: "評審委員會支" + "持申請宗數" is one cell."""
    units: list[list[_Line]] = []
    for line in lines:
        if units and line.cells is None and units[-1][-1].trailing == 0:
            units[-1].append(line)
        else:
            units.append([line])
    return units


def _render_unit(unit: list[_Line], widest_cells: int, widest_numbers: int) -> str:
    first, wrapped = unit[0], [line.text for line in unit[1:]]
    if first.cells is None:
        return clean_inline(_join_wrapped([first.text, *wrapped]))
    cells = _widen(first.cells, widest_cells, widest_numbers)
    cells[-1] = _join_wrapped([cells[-1], *wrapped])
    return CELL_SEPARATOR.join(_without_empty_ends([clean_inline(cell) for cell in cells]))


def _without_empty_ends(cells: list[str]) -> list[str]:
    """A row without the empty cells at either end (a blank corner, a column left empty): the line is stripped
    when read, which would leave their separator as a stray "|"; they show as nothing, as in a text extraction."""
    first = next((n for n, cell in enumerate(cells) if cell), len(cells))
    last = max((n for n, cell in enumerate(cells) if cell), default=-1)
    return cells[first : last + 1]


def _join_wrapped(texts: Iterable[str]) -> str:
    """Join the printed lines of a paragraph: a space between Latin words, none after a hyphen.

    Spaces that end up next to a Chinese character are removed afterwards by `clean_inline`.
    """
    joined = ""
    for text in texts:
        hyphenated = joined.endswith(("-", "/")) and text[:1].isascii() and text[:1].isalnum()
        joined += text if not joined or hyphenated else " " + text
    return joined


def _normalise_marker(paragraph: str) -> str:
    """One space after a numbered part's marker ("1.過去" -> "1. 過去"), none after "一、"."""
    match = _LEADING_MARKER.match(paragraph)
    if not match or match.group(1).endswith("、"):
        return paragraph
    rest = paragraph[match.end() :]
    return f"{match.group(1)} {rest}" if rest else match.group(1)


def _absorb_table_headers(blocks: list[_Block]) -> list[_Block]:
    """Give a table the wrapped header cells printed just above its first row."""
    result: list[_Block] = []
    for block in blocks:
        if block.is_table:
            while result and _is_header_fragment(result[-1], block.lines[0]):
                block.lines[0:0] = result.pop().lines
        result.append(block)
    return result


def _is_header_fragment(block: _Block, following: _Line) -> bool:
    if block.is_table or following.blank_before:
        return False
    contiguous = not any(line.blank_before for line in block.lines[1:])
    return contiguous and all(_may_extend_table(line) for line in block.lines)


def clean_section(raw_lines: Iterable[str]) -> str:
    """Paragraphs separated by "\\n\\n"; table rows separated by "\\n", cells by " | "."""
    blocks: list[_Block] = []
    for line in _read_lines(raw_lines):
        if blocks and blocks[-1].accepts(line):
            blocks[-1].lines.append(line)
        else:
            blocks.append(_Block(is_table=line.cells is not None, lines=[line]))
    rendered = (block.render() for block in _absorb_table_headers(blocks))
    return "\n\n".join(text for text in rendered if text)
