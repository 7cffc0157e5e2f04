"""The Word export a clerk circulates: a cover, a list of the replies, then one reply per page.

Stored text keeps paragraphs apart with a blank line and table rows on their own lines with cells separated
by " | "; here those become Word paragraphs and real Word tables.  Word documents are built in memory, so the
export is capped (see views.LIMITS).
"""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils import formats
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from replies.exports.columns import CHUNK_SIZE, programmes_text
from replies.exports.xlsx import ILLEGAL_CHARACTERS_RE

CELL_SEPARATOR = " | "
CHINESE_FONT = "PMingLiU"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def clean(text: str) -> str:
    """XML cannot hold control characters; Word would refuse the file."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def text_blocks(text: str):
    """("paragraph", lines) or ("table", rows of cells) for each blank-line-separated block."""
    for block in text.split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) > 1 and any(CELL_SEPARATOR in line for line in lines):
            yield "table", [line.split(CELL_SEPARATOR) for line in lines]
        else:
            yield "paragraph", lines


def add_text(document, text: str) -> None:
    for kind, content in text_blocks(text):
        if kind == "table":
            add_table(document, content)
        else:
            paragraph = document.add_paragraph()
            for index, line in enumerate(content):
                run = paragraph.add_run(clean(line))
                if index < len(content) - 1:
                    run.add_break()


def add_table(document, rows: list[list[str]]) -> None:
    width = max(len(cells) for cells in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for row, cells in zip(table.rows, rows):
        for cell, value in zip(row.cells, cells):
            cell.text = clean(value.strip())


def add_page_number_footer(document) -> None:
    """A PAGE field, so Word numbers the pages itself however the document reflows."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def new_document():
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CHINESE_FONT)
    add_page_number_footer(document)
    return document


def add_cover(document, selection) -> None:
    document.add_heading(_("Budget questions and replies"), level=0)
    lines = [
        (_("Exported"), formats.date_format(selection.created_at, "Y-m-d H:i")),
        (_("Replies"), str(selection.count)),
        (_("Query"), selection.query_string or _("(all replies)")),
        *selection.description,
    ]
    for label, value in lines:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(clean(str(value)))


def add_contents(document, replies) -> None:
    document.add_heading(_("Replies in this document"), level=1)
    for number, reply in enumerate(replies, start=1):
        document.add_paragraph(clean(f"{number}. {reply.year.label} {reply.serial}　{reply.member.name}　{reply.head}"))


def metadata(reply) -> list[tuple[str, str]]:
    return [
        (_("year"), reply.year.label),
        (_("question serial"), str(reply.question_serial)),
        (_("member"), reply.member.name),
        (_("head"), str(reply.head)),
        (_("subhead"), reply.subhead),
        (_("programmes"), programmes_text(reply)),
        (_("controlling officer"), reply.controlling_officer),
        (_("director of bureau"), reply.director_of_bureau),
    ]


def add_reply(document, reply) -> None:
    document.add_heading(clean(f"{reply.serial}（{reply.year.label}）"), level=1)
    for label, value in metadata(reply):
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(clean(value))
    document.add_heading(_("Question"), level=2)
    add_text(document, reply.question)
    document.add_heading(_("Reply"), level=2)
    add_text(document, reply.reply)


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def build_document(selection):
    replies = list(selection.replies.iterator(chunk_size=CHUNK_SIZE))  # capped, so a list is affordable
    document = new_document()
    add_cover(document, selection)
    if replies:
        add_contents(document, replies)
    for reply in replies:
        page_break(document)
        add_reply(document, reply)
    return document


def docx_response(request, selection) -> FileResponse:
    spool = tempfile.TemporaryFile(suffix=".docx")
    build_document(selection).save(spool)
    spool.seek(0)
    response = FileResponse(spool, content_type=DOCX_TYPE)
    response["Content-Disposition"] = selection.content_disposition("docx")
    return response
