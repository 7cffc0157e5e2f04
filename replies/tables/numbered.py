"""Tables whose rows are numbered (``1.``, ``2.`` …): the long annexes listing projects or apps, where a row's
cells are printed over several lines and a department is printed once for several rows.

Not yet: every region is left to the general rules (reconstruct.py)."""

from __future__ import annotations

from replies.tables.model import DataTable
from replies.tables.regions import Region


def region_tables(field: str, paragraphs: list[str], region: Region) -> list[DataTable] | None:
    """The tables of a region read as numbered rows, or None to leave the region to the general rules."""
    return None
