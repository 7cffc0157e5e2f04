"""The XLSX export: openpyxl's write-only workbook streams rows to a temporary file, then the file is served."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from replies.exports import columns

EXCEL_CELL_LIMIT = 32_767  # characters Excel holds in one cell; longer text is cut with a note
TRUNCATED_NOTE = " […]"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_text(value):
    """Text Excel accepts: no control characters, within the cell limit."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - len(TRUNCATED_NOTE)] + TRUNCATED_NOTE
    return value


def styled_cell(sheet, value, font=None, alignment=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=cell_text(value))
    if isinstance(value, str):
        cell.data_type = "s"  # text starting with "=" stays text, never a formula
    if font:
        cell.font = font
    if alignment:
        cell.alignment = alignment
    return cell


def write_replies_sheet(workbook: Workbook, selection, absolute_url) -> None:
    sheet = workbook.create_sheet(_("Replies"))
    # Write-only sheets take their layout before the first row is appended.
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns.COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    last_column = get_column_letter(len(columns.COLUMNS))
    sheet.auto_filter.ref = f"A1:{last_column}{selection.count + 1}"
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([styled_cell(sheet, label, font=bold, alignment=wrapped) for label in columns.header()])
    for row in columns.rows(selection, absolute_url):
        sheet.append([styled_cell(sheet, value, alignment=wrapped) for value in row])


def write_summary_sheet(workbook: Workbook, selection, absolute_url) -> None:
    sheet = workbook.create_sheet(_("About this export"))
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 80
    bold = Font(bold=True)
    lines = [
        (_("Exported"), formats.date_format(selection.created_at, "Y-m-d H:i")),
        (_("Replies"), selection.count),
        (_("Query"), selection.query_string or _("(all replies)")),
        *selection.description,
        (_("Source"), absolute_url("/")),
    ]
    for label, value in lines:
        sheet.append([styled_cell(sheet, str(label), font=bold), styled_cell(sheet, value)])


def xlsx_response(request, selection) -> FileResponse:
    workbook = Workbook(write_only=True)
    write_replies_sheet(workbook, selection, request.build_absolute_uri)
    write_summary_sheet(workbook, selection, request.build_absolute_uri)
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # deleted when the response closes it
    workbook.save(spool)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX_TYPE)
    response["Content-Disposition"] = selection.content_disposition("xlsx")
    return response
