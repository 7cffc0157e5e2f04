"""Compare the reconstructed tables of the bundled file with the hand-checked gold set (tests/data/tables_gold.json,
made by reading the raw fixture: see tests/data/TABLES_GOLD.md).

Each gold table is compared with the table of the same reply and field that shares most of its rows (so one
misplaced table does not shift every other). Row accuracy: gold rows whose cells all equal the reconstructed
row at the same position, and (in order) gold rows found with all cells equal in the gold's order, so that one
row added or missing does not count every row after it as wrong; header accuracy: gold tables whose header
equals the reconstructed one. A table shown as source lines counts as wrong throughout.
``python -m tests.table_gold`` prints the figures and every difference.
"""

from __future__ import annotations

import json
from difflib import SequenceMatcher
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from replies.importing.parser import parse_file
from replies.tables.model import DataTable
from replies.tables.reconstruct import tables_of_field

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "tables_gold.json"
FIXTURE = ROOT / "fixtures" / "itib-2023-24.txt"


@dataclass
class Score:
    tables: int = 0
    headers_right: int = 0
    rows: int = 0
    rows_right: int = 0  # at the same position as in the gold
    rows_in_order: int = 0  # found, all cells equal, in the gold's order (a row added or missing shifts nothing)
    differences: list[str] = field(default_factory=list)

    @property
    def header_accuracy(self) -> float:
        return self.headers_right / self.tables if self.tables else 0.0

    @property
    def row_accuracy(self) -> float:
        return self.rows_right / self.rows if self.rows else 0.0

    @property
    def aligned_row_accuracy(self) -> float:
        return self.rows_in_order / self.rows if self.rows else 0.0


@lru_cache(maxsize=1)
def bundled_fields() -> dict[tuple[str, str], str]:
    """(serial, "question"|"reply") -> the stored text of the bundled file."""
    parsed = parse_file(FIXTURE.read_text(encoding="utf-8"), FIXTURE.name)
    return {(record.serial, name): getattr(record, name) for record in parsed.replies for name in ("question", "reply")}


@lru_cache(maxsize=1)
def bundled_tables() -> dict[tuple[str, str], list[DataTable]]:
    return {key: tables_of_field(key[1], text) for key, text in bundled_fields().items()}


def gold_tables() -> list[dict]:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _shared_rows(gold: dict, table: DataTable) -> int:
    rows = {tuple(row) for row in table.rows}
    return sum(tuple(row) in rows for row in gold["rows"])


def score() -> Score:
    result = Score()
    tables = bundled_tables()
    for gold in gold_tables():
        candidates = tables.get((gold["serial"], gold["field"]), [])
        table = max(candidates, key=lambda t: (_shared_rows(gold, t), t.header == tuple(gold["header"])),
                    default=None)
        name = f'{gold["serial"]} {gold["field"]} #{gold["ordinal"]}'
        result.tables += 1
        result.rows += len(gold["rows"])
        if table is None or not table.reconstructed:
            result.differences.append(f"{name}: {'no table' if table is None else 'shown as source lines'}")
            continue
        if list(table.header) == gold["header"]:
            result.headers_right += 1
        else:
            result.differences.append(f"{name} header:\n    gold {gold['header']}\n    made {list(table.header)}")
        matcher = SequenceMatcher(None, [tuple(r) for r in gold["rows"]], list(table.rows), autojunk=False)
        result.rows_in_order += sum(block.size for block in matcher.get_matching_blocks())
        for index, row in enumerate(gold["rows"]):
            made = list(table.rows[index]) if index < len(table.rows) else None
            if made == row:
                result.rows_right += 1
            else:
                result.differences.append(f"{name} row {index}:\n    gold {row}\n    made {made}")
    return result


if __name__ == "__main__":
    outcome = score()
    print("\n".join(outcome.differences))
    print(f"{outcome.tables} gold tables: header accuracy {outcome.header_accuracy:.3f} "
          f"({outcome.headers_right}/{outcome.tables}); row accuracy {outcome.row_accuracy:.3f} "
          f"({outcome.rows_right}/{outcome.rows}) by position, {outcome.aligned_row_accuracy:.3f} "
          f"({outcome.rows_in_order}/{outcome.rows}) in order")
