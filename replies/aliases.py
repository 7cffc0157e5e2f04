"""The alias table (search/aliases.py) in the database: grown by every import from the definitions the files make,
loaded from the reviewed list, edited in the admin; read by searches through replies.alias_table, whose copy an
edit in this process drops at once (signals below).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from replies.alias_table import forget, table
from replies.models import Alias, AliasGroup
from search.aliases import definitions, fold_form, kind_of, read_groups

__all__ = ["add_groups", "forget", "load_fixture", "mine", "table"]

FIXTURE = settings.BASE_DIR / "fixtures" / "aliases.txt"  # absolute: a command may run from any directory


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
        if owners and source == AliasGroup.Source.MINED and not _names_agree(folded, owners, alias_model):
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


def _names_agree(folded: dict[str, str], owners: dict[str, int], alias_model) -> bool:
    """Whether a mined definition may join the group one of its forms is in: only when every new form is a short
    form, or a name that one of the group's names ends with or is an ending of (生產力促進局, 香港生產力促進局).
    Why: a file that defines a known short form for another name (a clause cut at a wrong place, another body
    with the same short form) would otherwise join that name to the group, and the groups grown from it, so
    that a search for one body quietly found another's replies."""
    new = [key for key in folded if key not in owners]
    names = [key for key in new if kind_of(folded[key], 0) == "full" and len(key) > max(map(len, owners))]
    if not names:
        return True
    group_names = alias_model.objects.filter(group_id=next(iter(owners.values()))).values_list("folded", flat=True)
    return all(any(name.endswith(known) or known.endswith(name) for known in group_names) for name in names)


def load_fixture(path=FIXTURE, *, models=(AliasGroup, Alias)) -> tuple[int, int]:
    with open(path, encoding="utf-8") as file:
        return add_groups(read_groups(file.read()), AliasGroup.Source.FIXTURE, models=models)


def mine(texts: Iterable[str], *, models=(AliasGroup, Alias)) -> tuple[int, int]:
    """Add the definitions these texts (one imported file's questions and replies) make: "全名（簡稱）"."""
    pairs = definitions("\n".join(texts))
    return add_groups(([full, short] for full, short in pairs), AliasGroup.Source.MINED, models=models)
