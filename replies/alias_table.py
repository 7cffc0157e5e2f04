"""The alias table as the search reads it (search/aliases.py): folded form -> every form of its group.

Why at query time: the index holds the replies' texts, never aliases, so a search expands a term into every form
of its group when it is parsed (search/query.py) and an edit in the admin needs no reindex. The table is small;
each process keeps it for TABLE_SECONDS and forgets it at once when this process edits it (replies.aliases).
Plain SQL, no model: replies.querysets reads it, and the models import that module.
"""

from __future__ import annotations

import time

from django.db import connections, transaction

from search.aliases import AliasTable, alias_table

TABLE_SECONDS = 30  # another process's admin edit shows within this time; this process's at once
ALIAS_TABLE = "replies_alias"

_cache: dict[str, tuple[float, AliasTable]] = {}


def table(using: str = "default") -> AliasTable:
    """folded form -> every form of its group: what search.parse_query expands terms with."""
    cached = _cache.get(using)
    if cached is not None and time.monotonic() - cached[0] < TABLE_SECONDS:
        return cached[1]
    with connections[using].cursor() as cursor:
        cursor.execute(f'SELECT "group_id", "text" FROM "{ALIAS_TABLE}" ORDER BY "group_id", "id"')
        rows = cursor.fetchall()
    groups: dict[int, list[str]] = {}
    for group_id, text in rows:
        groups.setdefault(group_id, []).append(text)
    found = alias_table(groups.values())
    _cache[using] = (time.monotonic(), found)
    return found


def forget(**_) -> None:
    """Drop this process's copy: the next search reads the table again (also once the edit is committed)."""
    _cache.clear()
    transaction.on_commit(_cache.clear)
