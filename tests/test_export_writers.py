"""The exports' own writers give exactly what the plain ones would: the CSV line csv.writer writes, the XML
row() writes. Their fast paths skip work only where it changes nothing, and these cases are the edges."""

import csv
import io
from itertools import product

from replies.exports.streams import csv_line, spreadsheet_safe
from replies.exports.xlsx_parts import EXCEL_CELL_LIMIT, NO_LEADING_CELLS, LeadingCells, letters, row, rows

EDGE_TEXTS = ["", "plain", "中文", " lead", "trail ", "\u3000全角", "a,b", 'say "hi"', "line\nbreak", "cr\rhere",
              "=SUM(A1)", "+852", "-5", "-x", "@home", "\tindent", "& <b>", "x" * (EXCEL_CELL_LIMIT + 3),
              "ctrl\x0bchar", "\ufffe", "\x1f", "'quoted'"]
EDGE_VALUES = [*EDGE_TEXTS, None, 0, 42, -7, 2.5, True]


def csv_writer_line(values) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([spreadsheet_safe(value) for value in values])
    return out.getvalue()


def test_a_csv_line_is_the_one_csv_writer_writes_for_the_spreadsheet_safe_values():
    for first, second in product(EDGE_VALUES, repeat=2):
        assert csv_line([first, second, "tail"]) == csv_writer_line([first, second, "tail"])


def test_rows_are_written_exactly_as_row_writes_them_with_or_without_forbidden_characters():
    names = letters(8)
    clean = [text for text in EDGE_TEXTS if text.isprintable() or "\n" in text or "\r" in text or "\t" in text]
    for batch_texts in (clean, EDGE_TEXTS):
        values = [[text, number, text[::-1]] for number, text in enumerate(batch_texts)]
        numbered = [(index + 2, NO_LEADING_CELLS, row_values, [0, 2, 4]) for index, row_values in enumerate(values)]
        expected = "".join(row(index + 2, row_values, [0, 2, 4], names) for index, row_values in enumerate(values))
        assert rows(numbered, names) == expected


def test_leading_cells_are_the_cells_row_writes_before_the_rest():
    names = letters(6)
    leading = LeadingCells(["2023-24", "", 3, "a\x00b"], [0, 0, 0, 1], names)
    written = rows([(17, leading, ["x", "<y>"], [4, 0])], names[4:])
    assert written == row(17, ["2023-24", "", 3, "a\x00b", "x", "<y>"], [0, 0, 0, 1, 4, 0], names)
