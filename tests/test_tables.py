"""Tables as data (replies/tables): nothing of a table's source is lost, and the hand-checked gold set holds.

"Lose nothing": every non-space character of a table's source region (its caption paragraph, its lines, its
note paragraphs) ends up, in order, in its caption, header, cells or notes. A header printed again after a page
break is dropped (it repeats the header), and header labels may repeat an upper label over its sub-labels, so
the header is checked apart: every character of the header lines is in the labels.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from itertools import groupby

import pytest

from replies.tables.cells import BAR
from replies.tables.reconstruct import tables_of_field
from replies.tables.regions import chunks
from tests.table_gold import bundled_fields, bundled_tables, gold_tables, score

ADDED_BY_TWO_LEVELS = "（）"


def characters(texts) -> str:
    return "".join("".join(text.replace(BAR, "").split()) for text in texts)


def without_repeated_headers(lines: list[str], tables) -> list[str]:
    for table in tables:
        header = list(table.source_lines[: table.header_lines])
        if not header:
            continue
        first = next(i for i in range(len(lines)) if lines[i : i + len(header)] == header)
        index = first + len(header)
        while index < len(lines):
            if lines[index : index + len(header)] == header:
                del lines[index : index + len(header)]
            else:
                index += 1
    return lines


def region_losses(text: str, tables) -> list[str]:
    """What differs between each region's source and its tables (empty: nothing lost, nothing added)."""
    paragraphs = chunks(text)
    problems = []
    for span, group in groupby(tables, key=lambda table: table.chunks):
        group = list(group)
        lines = [line.strip() for chunk in paragraphs[span[0] : span[1] + 1] for line in chunk.split("\n")]
        source = characters(without_repeated_headers([line for line in lines if line], group))
        made = characters(piece for table in group for piece in (
            table.caption, *table.source_lines[: table.header_lines], *(cell for row in table.rows for cell in row),
            *table.notes))
        if source != made:
            cut = next((i for i, (a, b) in enumerate(zip(source, made)) if a != b), min(len(source), len(made)))
            problems.append(f"chunks {span}: source …{source[max(0, cut - 15):cut + 15]}… made …{made[max(0, cut - 15):cut + 15]}…")
        for table in group:
            missing = Counter(characters(table.source_lines[: table.header_lines])) - Counter(characters(table.header))
            added = set(characters(table.header)) - set(characters(table.source_lines[: table.header_lines])) - set(ADDED_BY_TWO_LEVELS)
            if missing or added:
                problems.append(f"header {list(table.header)}: missing {dict(missing)}, added {added}")
    return problems


def test_no_bundled_table_loses_or_adds_a_character():
    fields = bundled_fields()
    problems = {key: found for key, tables in bundled_tables().items()
                if tables and (found := region_losses(fields[key], tables))}
    assert problems == {}


def test_a_lost_cell_is_noticed():
    """The check above can fail: drop one cell of ITIB010's table and it says where."""
    table = bundled_tables()[("ITIB010", "reply")][0]
    broken = replace(table, rows=(table.rows[0][:-1], *table.rows[1:]))
    assert region_losses(bundled_fields()[("ITIB010", "reply")], [broken])
