"""Build a reply PDF the way the Government makes them: a Word document in the official layout, then LibreOffice.

    python -m tools.reply_pdfs OUT_DIR [--count 30] [--name itib-2023-24-sample]

Why: the PDF importer must be tested on a file laid out like the bureaux' own (index table in front, one reply
per page run with its header block, tables as Word tables, page footers "第 17 節 ITIB - 第 N 頁"), and the
only faithful way to get one is the same route: Word document, then PDF. The replies are the bundled ITIB
2023-24 ones (fixtures/itib-2023-24.txt) as the parser reads them, their tables as ``tables_of`` rebuilds them,
so a test can compare the PDF's import with the text's. LibreOffice (Debian's libreoffice-writer-nogui and
fonts-noto-cjk) is needed only here: the PDF made is committed under tests/data/ and CI reads that. The
benchmark's 300-page file (tools/benchmark/pdf_import.py) is ``--count 120 --name itib-2023-24-300-pages``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from replies.importing.index_table import NO_PROGRAMME
from replies.importing.parser import parse_file
from replies.importing.records import ParsedFile, ReplyRecord
from replies.tables import tables_of

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "itib-2023-24.txt"
FONT = "Noto Serif CJK TC"
# The four replies the issue names (tables of every shape, a long reply), then the first with and without tables.
REQUIRED = ("ITIB010", "ITIB111", "ITIB190", "ITIB205")
DEFAULT_COUNT = 30
PDF_NAME = "itib-2023-24-sample"
_TWO_LEVELS = re.compile(r"(?P<upper>.+)（(?P<lower>[^（）]+)）")


def chosen_replies(parsed: ParsedFile, count: int = DEFAULT_COUNT) -> list[ReplyRecord]:
    """The required replies and the first others, half with tables, in the file's order."""
    with_tables = [r for r in parsed.replies if r.serial not in REQUIRED and tables_of(r.question, r.reply)]
    without = [r for r in parsed.replies if r.serial not in REQUIRED and not tables_of(r.question, r.reply)]
    extra = count - len(REQUIRED)
    picked = set(REQUIRED) | {r.serial for r in with_tables[: extra // 2]}
    picked |= {r.serial for r in without[: extra - len(picked) + len(REQUIRED)]}
    return [r for r in parsed.replies if r.serial in picked]


def build_document(parsed: ParsedFile, replies: list[ReplyRecord]) -> Document:
    document = Document()
    _set_style(document)
    _write_index(document, parsed, replies)
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _number_pages_from_one(section, f"第 {parsed.session} 節 {parsed.serial_prefix} - 第 ", " 頁")
    for position, record in enumerate(replies):
        _write_reply(document, parsed, record, new_page=position > 0)  # the section break starts the first
    return document


def _set_style(document: Document) -> None:
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(12)
    style.paragraph_format.line_spacing = 1.0


def _write_index(document: Document, parsed: ParsedFile, replies: list[ReplyRecord]) -> None:
    start, end = parsed.year.split("-")
    for line in ("索引", f"審核{_in_words(start)}至{_in_words(end)}年度開支預算", "管制人員對立法會議員初步問題的答覆",
                 f"局長：{parsed.bureau}", f"第 {parsed.session} 節會議"):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows = [[r.serial, str(r.question_serial), r.member, str(r.head_number), _programmes(r, blank="")]
            for r in replies]
    _add_table(document, ["答覆編號", "問題編號", "議員姓名", "總目", "綱領"], rows)


def _in_words(digits: str) -> str:
    return "".join("零一二三四五六七八九"[int(d)] for d in digits)


def _number_pages_from_one(section, before: str, after: str) -> None:
    """Reply pages are numbered from 1 in a footer of their own; the index pages have none."""
    section.footer.is_linked_to_previous = False
    number_type = OxmlElement("w:pgNumType")
    number_type.set(qn("w:start"), "1")
    section._sectPr.append(number_type)
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(before)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(after)


def _write_reply(document: Document, parsed: ParsedFile, record: ReplyRecord, new_page: bool) -> None:
    for position, line in enumerate((f"審核 {parsed.year}年度  答覆編號", "開支預算", record.serial, "管制人員的答覆")):
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.page_break_before = new_page and position == 0  # every reply starts a page
    officer = record.controlling_officer_title + (f" ({record.controlling_officer_name})"
                                                 if record.controlling_officer_name else "")
    for line in (
        f"(問題編號：{record.question_serial})",
        f"總目：({record.head_number}) {record.head_name}",
        f"分目：({record.subhead_code}) {record.subhead_title}".rstrip(),
        f"綱領：{_programmes(record, blank=NO_PROGRAMME)}",
        f"管制人員：{officer}",
        f"局長：{record.director_of_bureau}",
        "問題：",
    ):
        document.add_paragraph(line)
    tables = tables_of(record.question, record.reply)
    _write_field(document, record.question, [t for t in tables if t["field"] == "question"])
    document.add_paragraph(f"提問人：{record.member}議員 (立法會內部參考編號：{record.legco_reference})")
    document.add_paragraph("答覆：")
    _write_field(document, record.reply, [t for t in tables if t["field"] == "reply"])
    document.add_paragraph("– 完 –").alignment = WD_ALIGN_PARAGRAPH.CENTER


def _programmes(record: ReplyRecord, blank: str) -> str:
    return " ".join(f"({p.number}) {p.name}" for p in record.programmes) or blank


def _write_field(document: Document, text: str, tables: list[dict]) -> None:
    """Paragraphs as paragraphs; the paragraphs a table was read from become that table (caption, notes kept)."""
    paragraphs = text.split("\n\n")
    written: set[int] = set()
    for number, paragraph in enumerate(paragraphs):
        group = [t for t in tables if t["chunks"][0] <= number <= t["chunks"][1]]
        source = {line for t in group for line in t["source_lines"]}
        if group and all(line in source for line in paragraph.split("\n")):
            for table in group:
                if id(table) not in written:
                    written.add(id(table))
                    _write_data_table(document, table)
        else:
            for line in paragraph.split("\n"):
                document.add_paragraph(line)


def _write_data_table(document: Document, table: dict) -> None:
    if table["reconstructed"]:
        _add_table(document, table["header"], table["rows"])
    else:
        _add_table(document, table["rows"][0], table["rows"][1:])
    document.add_paragraph()


def _add_table(document: Document, header: list[str], rows: list[list[str]]) -> None:
    width = max([len(header)] + [len(row) for row in rows])
    levels = header_levels(header)
    grid = document.add_table(rows=len(levels) + len(rows), cols=width)
    grid.style = "Table Grid"
    size = Pt(12 if width < 5 else 10 if width < 7 else 7)  # as the bureaux shrink wide tables to fit the page
    for cells, values in zip(grid.rows, [*levels, *rows]):
        _keep_on_one_page(cells)
        for cell, value in zip(cells.cells, values):
            _write_cell(cell, value, size)
    if len(levels) == 2:
        _merge_header(grid, levels, size)


def header_levels(header: list[str]) -> list[list[str]]:
    """The header as printed: one row, or two when columns side by side share a label above (the reconstruction's
    ``上級（下級）``), which the bureaux print as one cell spanning its sub-columns."""
    parts = [_TWO_LEVELS.fullmatch(label) for label in header]
    uppers = [match["upper"] if match else None for match in parts]
    shared = [upper is not None and upper in (uppers[n - 1] if n else None, uppers[n + 1] if n + 1 < len(uppers)
                                              else None) for n, upper in enumerate(uppers)]
    if not any(shared):
        return [header]
    return [[uppers[n] if shared[n] else label for n, label in enumerate(header)],
            [parts[n]["lower"] if shared[n] else label for n, label in enumerate(header)]]


def _merge_header(grid, levels: list[list[str]], size) -> None:
    """A label over several sub-columns spans them; a label with none spans both header rows."""
    upper, lower = levels
    column = 0
    while column < len(upper):
        end = column
        while end + 1 < len(upper) and upper[end + 1] == upper[column] and lower[column] != upper[column]:
            end += 1
        top, bottom = grid.cell(0, column), grid.cell(1 if lower[column] == upper[column] else 0, end)
        if top is not bottom:
            _write_cell(top.merge(bottom), upper[column], size, replace=True)
        column = end + 1


def _write_cell(cell, value: str, size, replace: bool = False) -> None:
    if replace:  # a merged cell keeps the paragraphs of every cell it covers
        for extra in cell.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        cell.paragraphs[0]._p.clear_content()
    paragraph = cell.paragraphs[0]
    paragraph.add_run(value).font.size = size
    paragraph.paragraph_format.space_after = Pt(0)


def _keep_on_one_page(row) -> None:
    """A row is not split over a page break, as in the bureaux' tables."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def convert_to_pdf(docx_path: Path, out_dir: Path) -> Path:
    """LibreOffice, as the bureaux' own export does; a missing soffice is named with the package to install."""
    try:
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
                       check=True, capture_output=True, timeout=600)
    except FileNotFoundError:
        sys.exit("soffice not found: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk")
    return out_dir / (docx_path.stem + ".pdf")


def main(argv: list[str] | None = None) -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("out_dir", type=Path)
    arguments.add_argument("--count", type=int, default=DEFAULT_COUNT, help="how many replies (about 2.5 pages each)")
    arguments.add_argument("--name", default=PDF_NAME, help="the PDF's file name without .pdf")
    options = arguments.parse_args(argv)
    parsed = parse_file(SOURCE.read_text(encoding="utf-8"), SOURCE.name)
    replies = chosen_replies(parsed, options.count)
    options.out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        docx_path = Path(work) / f"{options.name}.docx"
        build_document(parsed, replies).save(docx_path)
        pdf = convert_to_pdf(docx_path, options.out_dir.resolve())
    print(f"{pdf}: {len(replies)} replies ({', '.join(r.serial for r in replies)})")


if __name__ == "__main__":
    main()
