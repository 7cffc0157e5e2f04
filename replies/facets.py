"""Filter options with their counts within the current results, one GROUP BY query per facet.

Every facet counts over the same filtered set of ids (fetched once), so the counts always add up to what the
listing shows, whatever the page size. The selected option stays listed even when it counts nothing, so a
reader can always see and undo it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from replies.models import Reply


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter it sets
    options: tuple[Option, ...]

    @property
    def selected(self) -> Option | None:
        return next((option for option in self.options if option.selected), None)


# parameter -> (value field, label field or None, ordering of the options)
_FACETS = {
    "year": ("year__label", None, ("-year__label",)),
    "member": ("member__name", None, ("-count", "member__name")),
    "head": ("head__number", "head__name", ("head__number",)),
    "subhead": ("subhead_code", "subhead_title", ("subhead_code",)),
}


def facets_for(filtered, selected: dict[str, str]) -> list[Facet]:
    """The year, member, head, subhead (and, once a head is chosen, programme) facets of ``filtered``."""
    ids = list(filtered.order_by().values_list("pk", flat=True))  # one query, then plain GROUP BYs over the ids
    facets = [_facet(name, ids, selected.get(name, "")) for name in _FACETS]
    if selected.get("head"):
        facets.insert(3, _programme_facet(ids, selected["head"], selected.get("programme", "")))
    return facets


def _facet(name: str, ids, selected: str) -> Facet:
    value_field, label_field, ordering = _FACETS[name]
    fields = [value_field] + ([label_field] if label_field else [])
    rows = (
        Reply.objects.filter(pk__in=ids)
        .exclude(**{value_field: ""} if name == "subhead" else {})
        .values(*fields)
        .annotate(count=Count("pk"))
        .order_by(*ordering)
    )
    options = [_option(row[value_field], row.get(label_field), row["count"], selected, name) for row in rows]
    return Facet(name, _keep_selected(options, selected))


def _programme_facet(ids, head: str, selected: str) -> Facet:
    through = Reply.programmes.through.objects
    rows = (
        through.filter(reply_id__in=ids, programme__head__number=head)
        .values("programme__number", "programme__name")
        .annotate(count=Count("reply_id"))
        .order_by("programme__number")
    )
    options = [
        _option(row["programme__number"], row["programme__name"], row["count"], selected, "programme")
        for row in rows
    ]
    return Facet("programme", _keep_selected(options, selected))


def _option(value, label, count: int, selected: str, name: str) -> Option:
    value = str(value)
    if name == "head":
        label = f"{value} {label}"
    elif name == "programme":
        label = f"({value}) {label}"
    elif name == "subhead":
        label = f"{value} {label}".strip()
    else:
        label = value
    return Option(value, label, count, selected=value == selected)


def _keep_selected(options: list[Option], selected: str) -> tuple[Option, ...]:
    if selected and not any(option.selected for option in options):
        options = [Option(selected, selected, 0, selected=True), *options]
    return tuple(options)
