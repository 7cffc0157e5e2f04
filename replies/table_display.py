"""A reply's table as its page shows it (templates/includes/data_table.html).

Every piece of text (caption, header labels, cells, notes, source lines) is HTML-escaped with the query's hits
in <mark>; each cell knows its kind: the label that starts a row (``<th scope="row">``), a figure (right-aligned)
or other text. A table without a caption is named "Table n", n being its place in ``Reply.tables``, the same n
as its CSV's URL.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from replies.highlighting import mark_text
from replies.tables.cells import is_numeric

ROW_LABEL = "label"  # the first cell of a row, when it is text: <th scope="row">
FIGURE = "number"  # a figure: the CSS class that right-aligns it


def displayed(number: int, table: dict, reply, query) -> dict:
    """What data_table.html needs to show table ``number`` of ``reply`` (a dict of ``Reply.tables``)."""
    rows = table["rows"]
    shown = {
        "number": number,
        "name_id": f"table-{number}-name",  # the caption (or the line standing for it) that names the table
        "reconstructed": table["reconstructed"],
        "caption": mark_text(table["caption"], query),
        "label": _("Table %(number)s") % {"number": number},
        "notes": [mark_text(note, query) for note in table["notes"]],
        "source": mark_text("\n".join(table["source_lines"]), query),
        "csv_url": reverse("reply-table-csv", kwargs={"year": reply.year.label, "serial": reply.serial,
                                                      "number": number}),
    }
    if table["reconstructed"]:
        shown["header"] = _header(table["header"], rows, query)
        shown["rows"] = [_row(row, query) for row in rows]
    else:
        shown["rows"] = [[(mark_text(cell, query), 1) for cell in row] for row in rows]
    return shown


def _header(labels: list[str], rows: list[list[str]], query) -> list[tuple[str, str]]:
    """(label, kind) per column, the label over a column of figures right-aligned like them; no header at all
    when every label is empty."""
    if not any(labels):
        return []
    return [(mark_text(label, query), FIGURE if _all_figures(rows, column) else "")
            for column, label in enumerate(labels)]


def _all_figures(rows: list[list[str]], column: int) -> bool:
    cells = [row[column] for row in rows if column < len(row) and row[column]]
    return bool(cells) and all(is_numeric(cell) for cell in cells)


def _row(cells: list[str], query) -> list[tuple[str, str]]:
    return [(mark_text(cell, query), _kind(cell, first=position == 0)) for position, cell in enumerate(cells)]


def _kind(cell: str, first: bool) -> str:
    if is_numeric(cell):
        return FIGURE
    return ROW_LABEL if first and cell else ""
