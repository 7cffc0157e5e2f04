"""The Word export a clerk circulates: a cover, a list of the replies, then one reply per page.

A field's text is laid out as the reply page lays it out (replies.text_layout) and each of the reply's tables
(Reply.tables, replies/tables) takes the place of the paragraphs it covers: its caption, a real Word table
(bold header row repeated on every page, figures right-aligned), its notes.  A table whose columns could not be
recovered is shown as its lines, under a notice.  Word documents are built in memory, so the export is capped
(see views.LIMITS).
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

from replies.exports.columns import CHUNK_SIZE, not_provided_text, programmes_text
from replies.exports.xlsx import ILLEGAL_CHARACTERS_RE
from replies.tables.cells import is_numeric
from replies.text_layout import Paragraph, placed

CHINESE_FONT = "PMingLiU"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def clean(text: str) -> str:
    """XML cannot hold control characters; Word would refuse the file."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


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


def metadata(reply) -> list[tuple[str, str]]:
    return [
        (_("subject"), reply.subject),
        (_("keywords"), "、".join(reply.keywords)),
        (_("information not provided"), not_provided_text(reply.not_provided_kinds)),
        (_("year"), reply.year.label),
        (_("question serial"), str(reply.question_serial)),
        (_("member"), reply.member.name),
        (_("head"), str(reply.head)),
        (_("subhead"), reply.subhead),
        (_("programmes"), programmes_text(reply)),
        (_("controlling officer"), reply.controlling_officer),
        (_("director of bureau"), reply.director_of_bureau),
    ]


class WordWriter:
    """Builds the document.  python-docx finds styles, the section and the insertion point with linear scans,
    which made a few hundred replies take many seconds: styles are looked up once, and each finished reply
    is set aside (``set_aside``) so the body python-docx scans stays small."""

    def __init__(self):
        self.document = Document()
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.size = Pt(11)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CHINESE_FONT)
        # Style ids set on the XML directly: assigning a style object makes python-docx scan every style.
        self.headings = {level: styles["Title" if level == 0 else f"Heading {level}"].style_id for level in (0, 1, 2)}
        self.table_style = styles["Table Grid"].style_id
        add_page_number_footer(self.document)
        self.finished: list = []

    def set_aside(self) -> None:
        body = self.document.element.body
        for element in list(body)[:-1]:  # all but the closing section properties
            body.remove(element)
            self.finished.append(element)

    def finish(self):
        self.set_aside()
        section_properties = self.document.element.body[-1]
        for element in self.finished:
            section_properties.addprevious(element)
        return self.document

    def heading(self, text: str, level: int) -> None:
        self.document.add_paragraph(clean(text))._p.style = self.headings[level]

    def labelled(self, label: str, value: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(clean(value))

    def paragraph(self, text: str, italic: bool = False):
        paragraph = self.document.add_paragraph()
        paragraph.add_run(clean(text)).italic = italic
        return paragraph

    def lines(self, rows) -> None:
        """Rows as loose lines, one line break apart, cells a tab apart."""
        paragraph = self.document.add_paragraph()
        for index, cells in enumerate(rows):
            run = paragraph.add_run(clean("\t".join(cells)))
            if index < len(rows) - 1:
                run.add_break()

    def text(self, text: str, tables: list[dict]) -> None:
        for block in placed(text, list(enumerate(tables, 1))):
            if block.kind == "data":
                self.data_table(block.table)
            elif isinstance(block, Paragraph):
                self.paragraph(f"{block.label} {block.text}" if block.label else block.text)
            elif block.kind == "table":  # a table the stored tables do not cover (not reconstructed yet)
                self.table([], block.rows)
            else:
                self.lines(block.rows)

    def data_table(self, table: dict) -> None:
        if table["caption"]:
            self.paragraph(table["caption"]).paragraph_format.keep_with_next = True
        if table["reconstructed"]:
            self.table(table["header"], table["rows"])
        else:
            self.paragraph(_("Table as published (columns could not be recovered)"), italic=True)
            self.lines(table["rows"])
        for note in table["notes"]:
            self.paragraph(note)

    def table(self, header: list[str], rows) -> None:
        """A Word table: the header row (if any) bold and repeated at the top of every page, figures right-aligned."""
        all_rows = ([header] if header else []) + [list(cells) for cells in rows]
        if not all_rows:
            return
        table = self.document.add_table(rows=len(all_rows), cols=max(len(cells) for cells in all_rows))
        table._tbl.tblStyle_val = self.table_style
        for number, (row, cells) in enumerate(zip(table.rows, all_rows)):
            is_header = number == 0 and bool(header)
            if is_header:
                row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for cell, value in zip(row.cells, cells):
                value = clean(value.strip())
                paragraph = cell.paragraphs[0]
                paragraph.add_run(value).bold = is_header or None
                if not is_header and is_numeric(value):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def cover(self, selection) -> None:
        self.heading(_("Budget questions and replies"), 0)
        self.labelled(_("Exported"), formats.date_format(selection.created_at, "Y-m-d H:i"))
        self.labelled(_("Replies"), str(selection.count))
        self.labelled(_("Query"), selection.query_string or _("(all replies)"))
        for label, value in selection.description:
            self.labelled(label, value)

    def contents(self, replies) -> None:
        self.heading(_("Replies in this document"), 1)
        for number, reply in enumerate(replies, start=1):
            subject = f"：{reply.subject}" if reply.subject else ""
            self.document.add_paragraph(clean(f"{number}. {reply.year.label} {reply.serial}{subject}　{reply.member.name}　{reply.head}"))

    def reply(self, reply) -> None:
        self.heading(f"{reply.serial}（{reply.year.label}）", 1)
        for label, value in metadata(reply):
            if value:
                self.labelled(label, value)
        for field, title in (("question", _("Question")), ("reply", _("Reply"))):
            self.heading(title, 2)
            self.text(getattr(reply, field), [table for table in reply.tables if table["field"] == field])


def build_document(selection):
    replies = list(selection.replies.iterator(chunk_size=CHUNK_SIZE))  # capped, so a list is affordable
    writer = WordWriter()
    writer.cover(selection)
    if replies:
        writer.contents(replies)
    for reply in replies:
        writer.page_break()
        writer.reply(reply)
        writer.set_aside()
    return writer.finish()


def docx_response(request, selection) -> FileResponse:
    spool = tempfile.TemporaryFile(suffix=".docx")
    build_document(selection).save(spool)
    spool.seek(0)
    response = FileResponse(spool, content_type=DOCX_TYPE)
    response["Content-Disposition"] = selection.content_disposition("docx")
    return response
