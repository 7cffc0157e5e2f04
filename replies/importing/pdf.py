"""A bureau's reply PDF as the text the parser reads, with the page each line was printed on.

Why pdfplumber (MIT, on pdfminer.six, MIT, and pypdfium2, Apache-2.0/BSD; pure-Python or manylinux wheels):
it maps CJK glyphs through the fonts' ToUnicode tables, gives every character's position, and finds tables
by their ruling lines, so a Word table's cells come out as cells, not as the lines a plain extraction
interleaves. The text it yields follows the conventions parser.py and cleaning.py document:

* the pages' lines from top to bottom, without their footers ("第 17 節 ITIB - 第 N 頁"), which give
  the page numbers kept beside the text;
* the last line of a paragraph (a vertical gap follows it) ends with two spaces and a line of spaces: the
  extraction's paragraph mark and a real blank line, which cleaning.py reads; the last line of a page is followed
  by an empty line instead (the paragraph may go on over the break) unless it stops short of the right margin;
* a table row as one line, its cells separated by cleaning.KNOWN_CELL_SEPARATOR (the cells the ruling lines
  drew, an empty one too), rows together, a blank line before and after the table; a cell's wrapped lines
  joined with a space where Word wrapped at one, without where a word too long for the cell was cut
  (_joined_cell); a table going on over a page break is one table; a two-level header (merged cells) is one row
  of ``上級（下級）`` labels, as docs/TABLES.md names such columns.

The page of every line is kept, so a reply's ``source_page`` is the page printed on the page where its header
is, not an estimate.
"""

from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .cleaning import CJK_CHARS, KNOWN_CELL_SEPARATOR, PAGE_FOOTER
from .records import ParsedFile

PDF_MAGIC = b"%PDF-"
PARAGRAPH_MARK = "  "
# A line of spaces: a blank line the page shows, which cleaning.py reads as the end of a paragraph or table. An
# empty line, as after the last line of a page, says nothing: the paragraph or table may go on over the break.
BLANK_LINE = " "
# A gap between two lines wider than this share of a line's height ends a paragraph: Word's spacing after
# a paragraph shows as such a gap, a wrapped line as none.
PARAGRAPH_GAP = 0.45
# A page's last line ending more than this many line heights (about as many Chinese characters) short of the
# right margin ends its paragraph: a line wrapped over the page break runs to the margin.
SHORT_LINE = 2
_CJK_EDGE = re.compile(rf"(?<=[{CJK_CHARS}]) *\n|\s*\n(?=[{CJK_CHARS}])")
_CUT_WORD = re.compile(r"(?m)^(\S+)\n")  # a line of one word, no space printed after it


class PdfError(ValueError):
    """A PDF that cannot be read as a reply file: encrypted, damaged, without text, empty."""


@dataclass(frozen=True)
class PdfText:
    text: str
    pages: list[int | None]  # the printed page number of each line of `text`; None on a page without a footer


def is_pdf(data: bytes) -> bool:
    return data.lstrip()[:5] == PDF_MAGIC


def pdf_text(data: bytes) -> PdfText:
    """The text of every page, in the layout the parser reads; PdfError when it has none to give."""
    import pdfplumber  # only a PDF import needs it
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    lines: list[str] = []
    pages: list[int] = []
    footers: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as document:
            for page in document.pages:
                page_lines, footer = _page_lines(page)
                _across_page_break(lines, pages, page_lines)
                printed = int(PAGE_FOOTER.match(footer)["page"]) if footer else None  # the index's pages have none
                lines += page_lines
                pages += [printed] * len(page_lines)
                footers += [footer] if footer else []
    except PdfminerException as error:
        raise PdfError(_reason(error.args[0] if error.args else error, PDFPasswordIncorrect)) from None
    if not any(line.strip() for line in lines):
        raise PdfError("the PDF has no text (a scanned image?): expected a PDF exported from the reply document")
    # Footers would cut a paragraph or table running over a page; the pages are known, so one footer at the
    # end (the parser drops it there) still tells the session.
    tail = footers[:1]
    return PdfText("\n".join(lines + tail), pages + [pages[-1]] * len(tail))


def _across_page_break(lines: list[str], pages: list[int], page_lines: list[str]) -> None:
    """A table at the foot of a page that goes on at the top of the next stays one table (Word repeats nothing
    unless told to); one that does not ended with its page, so a blank line closes it."""
    if not (lines and lines[-1] == "" and KNOWN_CELL_SEPARATOR in lines[-2]):
        return
    if page_lines[:1] == [""]:
        lines.pop()
        pages.pop()
        page_lines.pop(0)
    else:
        lines[-1] = BLANK_LINE


def _reason(error: object, password_error: type) -> str:
    if isinstance(error, password_error) or "password" in str(error).lower() or "encrypt" in str(error).lower():
        return "the PDF is encrypted: expected the published, unprotected PDF"
    return f"not a readable PDF (damaged or truncated?): {type(error).__name__}"


@dataclass(frozen=True)
class _Item:
    """A text line or a whole table of a page, where it is printed."""
    top: float
    bottom: float
    right: float
    text: str
    is_table: bool = False


def _page_lines(page) -> tuple[list[str], str | None]:
    """One page's text lines and table rows in reading order, and its footer apart."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
    items = [_Item(line["top"], line["bottom"], line["x1"], line["text"]) for line in outside.extract_text_lines()]
    items += [_Item(table.bbox[1], table.bbox[3], table.bbox[2], _table_text(table), True) for table in tables]
    items.sort(key=lambda item: item.top)
    footer = next((item.text for item in items if PAGE_FOOTER.match(item.text)), None)
    body = [item for item in items if item.text != footer]
    margin = max((item.right for item in body if not item.is_table), default=0)
    lines: list[str] = []
    for number, item in enumerate(body):
        following = body[number + 1].top if number + 1 < len(body) else None
        height = item.bottom - item.top
        if item.is_table:
            lines += ["", *item.text.split("\n"), "" if following is None else BLANK_LINE]
        elif following is None:  # the paragraph may go on over the page unless its line stops short of the margin
            lines += [item.text + PARAGRAPH_MARK, BLANK_LINE if margin - item.right > SHORT_LINE * height else ""]
        elif following - item.bottom > PARAGRAPH_GAP * height:
            lines += [item.text + PARAGRAPH_MARK, BLANK_LINE]
        else:
            lines.append(item.text)
    return lines, footer


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    middle_x, middle_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _table_text(table) -> str:
    """Rows on lines, cells apart by KNOWN_CELL_SEPARATOR; a cell wrapped in its column is joined back into one."""
    rows = [[_joined_cell(cell) if cell is not None else None for cell in row]
            for row in table.extract(keep_blank_chars=True)]
    return "\n".join(KNOWN_CELL_SEPARATOR.join(cell or "" for cell in row) for row in _one_header_row(rows))


def _joined_cell(cell: str) -> str:
    """A cell's wrapped lines as one text, joined with a space unless the break is next to Chinese (which wraps
    anywhere) or inside a word. A word too long for the cell is cut where it fills the line, which then holds that
    word alone and ends without the space Word prints where it wraps at one (``keep_blank_chars`` keeps it):
    ``MyMapH`` + ``K #`` is ``MyMapHK #``, ``RTHK `` + ``News #`` is ``RTHK News #``."""
    return " ".join(_CUT_WORD.sub(r"\1", _CJK_EDGE.sub("", cell)).split())


def _one_header_row(rows: list[list[str | None]]) -> list[list[str | None]]:
    """A two-level header as one row labelled ``上級（下級）``, the reconstruction's labels (docs/TABLES.md).

    A merged cell is None where it covers a column it does not start in: a label over sub-columns is None on its
    right in the first row, a label over both header rows is None under it."""
    if len(rows) < 2 or rows[0][0] is None or None not in rows[0]:
        return rows
    upper, lower = rows[0], rows[1]
    labels = []
    for column, sub in enumerate(lower):
        owner = next(n for n in range(column, -1, -1) if upper[n] is not None)
        above = upper[owner] or ""
        labels.append(above if sub is None else f"{above}（{sub}）" if above else sub)
    return [labels, *rows[2:]]


def with_pdf_pages(parsed: ParsedFile, pages: list[int | None]) -> ParsedFile:
    """Each reply's source_page: the printed page of its first line (record.line is 1-based), or of the first
    line after it on a numbered page. Why after: a reply's first line may be the blank end of the index's last
    page, which has no footer, while its header is printed at the top of the next page."""
    parsed.replies = [dataclasses.replace(record, source_page=_page_from(pages, record.line - 1))
                      for record in parsed.replies]
    return parsed


def _page_from(pages: list[int | None], index: int) -> int | None:
    return next((page for page in pages[max(index, 0):] if page is not None), None)


def read_reply_file(path: Path, data: bytes) -> tuple[str, list[int] | None]:
    """The text to parse, and the page of each line when the file is a PDF (None for a text file).

    Raises PdfError for a PDF that has no text to give, ParseError for text that is not UTF-8.
    """
    from .decoding import decode_file

    if path.suffix.lower() != ".pdf" and not is_pdf(data):
        return decode_file(data), None
    if not data.strip():
        raise PdfError("empty file: expected a reply PDF")
    extracted = pdf_text(data)
    return extracted.text, extracted.pages
