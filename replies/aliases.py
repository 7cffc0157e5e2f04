"""The alias table (search/aliases.py) in the database: read for every search, grown by every import.

Why at query time: the index holds the replies' texts, never aliases, so a search expands a term into every form
of its group when it is parsed (search/query.py) and an edit in the admin needs no reindex. The table is small;
each process keeps it for TABLE_SECONDS, and forgets it at once when this process edits it (signals below).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from replies.models import Alias, AliasGroup
from search.aliases import AliasTable, alias_table, definitions, fold_form, kind_of, read_groups

TABLE_SECONDS = 30  # another process's admin edit shows within this time; this process's at once
FIXTURE = "fixtures/aliases.txt"

_cache: dict[str, tuple[float, AliasTable]] = {}


def table(using: str = "default") -> AliasTable:
    """folded form -> every form of its group: what search.parse_query expands terms with."""
    cached = _cache.get(using)
    if cached is not None and time.monotonic() - cached[0] < TABLE_SECONDS:
        return cached[1]
    rows = Alias.objects.using(using).order_by("group_id", "id").values_list("group_id", "text")
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


for _model in (Alias, AliasGroup):
    post_save.connect(forget, sender=_model, dispatch_uid=f"aliases-forget-save-{_model.__name__}")
    post_delete.connect(forget, sender=_model, dispatch_uid=f"aliases-forget-delete-{_model.__name__}")


def add_groups(groups: Iterable[Sequence[str]], source: str, *, models=(AliasGroup, Alias)) -> tuple[int, int]:
    """Add these groups of forms (the first being the label); returns (groups created, forms added). Idempotent:
    a group some of whose forms are stored already gains the others there; a group whose forms are stored in two
    different groups gains nothing (it would join two bodies). ``models`` lets a migration pass its own."""
    group_model, alias_model = models
    created = added = 0
    for forms in groups:
        folded = {fold_form(form): form for form in forms if fold_form(form)}
        owners = dict(alias_model.objects.filter(folded__in=list(folded)).values_list("folded", "group_id"))
        if len(set(owners.values())) > 1:
            continue
        if owners:
            group_id = next(iter(owners.values()))
        else:
            group_id = group_model.objects.create(label=forms[0], source=source).pk
            created += 1
        new = [alias_model(group_id=group_id, text=form, folded=key, kind=kind_of(form, position))
               for position, (key, form) in enumerate(folded.items()) if key not in owners]
        alias_model.objects.bulk_create(new)
        added += len(new)
    if added:
        forget()
    return created, added


def load_fixture(path: str = FIXTURE, *, models=(AliasGroup, Alias)) -> tuple[int, int]:
    with open(path, encoding="utf-8") as file:
        return add_groups(read_groups(file.read()), AliasGroup.Source.FIXTURE, models=models)


def mine(texts: Iterable[str], *, models=(AliasGroup, Alias)) -> tuple[int, int]:
    """Add the definitions these texts (one imported file's questions and replies) make: "全名（簡稱）"."""
    pairs = definitions("\n".join(texts))
    return add_groups(([full, short] for full, short in pairs), AliasGroup.Source.MINED, models=models)
