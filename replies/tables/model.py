"""What a reconstructed table is, as stored on a reply (``Reply.tables``) and served by the API."""

from __future__ import annotations

from dataclasses import dataclass

# The keys the API, the exports and the pages read; "chunks" (which paragraphs of the field it replaces) is
# the page's own.
PUBLIC_KEYS = ("field", "caption", "header", "rows", "notes", "reconstructed", "source_lines")


@dataclass(frozen=True)
class DataTable:
    field: str  # "question" or "reply"
    caption: str  # the sentence that introduces the table ("…如下："), "" when none
    header: tuple[str, ...]  # one label per column; () when the table was not reconstructed
    rows: tuple[tuple[str, ...], ...]  # cells as printed; the source lines' cells when not reconstructed
    notes: tuple[str, ...]  # "註：…" paragraphs and lines under the table
    reconstructed: bool  # False: the columns could not be recovered with confidence; show source_lines
    source_lines: tuple[str, ...]  # the stored lines the rows were read from (caption and notes apart)
    chunks: tuple[int, int]  # first and last paragraph of the field it covers, caption and notes included
    header_lines: int = 0  # how many of source_lines are the header (the rest: rows, repeated header, notes)

    def as_json(self) -> dict:
        return {
            "field": self.field,
            "caption": self.caption,
            "header": list(self.header),
            "rows": [list(row) for row in self.rows],
            "notes": list(self.notes),
            "reconstructed": self.reconstructed,
            "source_lines": list(self.source_lines),
            "chunks": list(self.chunks),
        }


def public(table: dict) -> dict:
    """A stored table as the API and the exports give it."""
    return {key: table[key] for key in PUBLIC_KEYS}


def shown_as_source(tables: list[dict]) -> int:
    """How many stored tables could not be reconstructed (shown as their source lines)."""
    return sum(not table["reconstructed"] for table in tables)


def count_line(tables: int, as_source: int) -> str:
    """The line the import summary and ``reindex`` print about tables."""
    return f"tables: {tables}, {tables - as_source} reconstructed, {as_source} shown as their source lines"
