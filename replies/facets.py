"""Filter options with their counts within the current results: one GROUP BY GROUPING SETS query for all facets.

Every facet counts over the same filtered rows, read once, so the counts always add up to what the listing
shows, whatever the page size. The selected option stays listed even when it counts nothing, so a reader can
always see and undo it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from replies.listing_vocabulary import ANY_NOT_PROVIDED, NOT_PROVIDED_KINDS
from replies.models import Head, Member, Programme, Reply, Year
from replies.querysets import sql_of


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


# parameter -> (value field, label field or None)
_FACETS = {
    "year": ("year__label", None),
    "member": ("member__name", None),
    "head": ("head__number", "head__name"),
    "subhead": ("subhead_code", "subhead_title"),
}


def facets_for(search, selected: dict[str, str]) -> list[Facet]:
    """The year, member, head, subhead (and, once a head is chosen, programme) facets of the replies of
    ``search`` (a ReplySearch)."""
    head = selected.get("head")
    programmes = _programmes_of(head) if head else {}
    groups = _grouped_counts(search.replies, list(programmes))
    facets = [_facet(name, groups[name], selected.get(name, "")) for name in _FACETS]
    if head:
        facets.insert(3, _programme_facet(groups["programme"], programmes, selected.get("programme", "")))
    facets.append(_not_provided_facet(groups["not_provided"], selected.get("not_provided", "")))
    return facets


def result_count(facets: list[Facet]) -> int:
    """How many replies the facets were counted over: every reply has a year, so the year counts add up to it."""
    year = next(facet for facet in facets if facet.name == "year")
    return sum(option.count for option in year.options)


_COLUMNS = ("year_id", "member_id", "head_id", "subhead_code", "subhead_title", "not_provided_kinds")
_SETS = {"year": ("year_id",), "member": ("member_id",), "head": ("head_id",),
         "subhead": ("subhead_code", "subhead_title"), "not_provided": ("not_provided_kinds",),
         "programme": ("programme_ids",)}


def _grouping_bits(columns: tuple[str, ...]) -> dict[int, str]:
    """GROUPING(columns…) sets a bit, first column highest, for each column a set does NOT group on."""
    return {
        sum(1 << (len(columns) - 1 - i) for i, column in enumerate(columns) if column not in grouped): name
        for name, grouped in _SETS.items()
    }


def _grouped_counts(filtered, programme_ids: list[int]) -> dict[str, list[dict]]:
    """Every facet's counts in one pass over the matching rows (GROUP BY GROUPING SETS): a common term matches
    half the replies, which must be read once, not once per facet nor as a list of ids.
    With a head chosen, each row also carries its programmes of that head (a sorted array, from the links'
    index) and the arrays are counted too, so the programme facet costs no second pass."""
    columns = _COLUMNS
    if programme_ids:
        links = Reply.programmes.through._meta.db_table
        filtered = filtered.annotate(programme_ids=RawSQL(
            f'ARRAY(SELECT link.programme_id FROM {links} AS link WHERE link.reply_id = "{Reply._meta.db_table}"."id" '
            "AND link.programme_id = ANY(%s) ORDER BY 1)", [programme_ids]))
        columns = (*columns, "programme_ids")
    matched = sql_of(filtered.values(*columns).order_by())
    groups: dict[str, list[dict]] = {name: [] for name in _SETS}
    if matched is None:
        return groups
    inner, params = matched
    listed = ", ".join(columns)
    sets = ", ".join(f"({', '.join(grouped)})" for grouped in _SETS.values() if set(grouped) <= set(columns))
    sql = f"SELECT {listed}, GROUPING({listed}), count(*) FROM ({inner}) AS matched GROUP BY GROUPING SETS ({sets})"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    bits = _grouping_bits(columns)
    for row in rows:
        values, grouping, count = dict(zip(columns, row)), row[len(columns)], row[-1]
        groups[bits[grouping]].append({**values, "count": count})
    return _labelled(groups)


def _labelled(groups: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Ids replaced by what the facets show: year labels, member names, head numbers and names."""
    years = dict(Year.objects.values_list("id", "label"))
    members = dict(Member.objects.values_list("id", "name"))
    heads = {pk: (number, name) for pk, number, name in Head.objects.values_list("id", "number", "name")}
    return {
        "year": [{"year__label": years[row["year_id"]], "count": row["count"]} for row in groups["year"]],
        "member": [{"member__name": members[row["member_id"]], "count": row["count"]} for row in groups["member"]],
        "head": [
            {"head__number": heads[row["head_id"]][0], "head__name": heads[row["head_id"]][1], "count": row["count"]}
            for row in groups["head"]
        ],
        "subhead": [row for row in groups["subhead"] if row["subhead_code"]],
        "not_provided": groups["not_provided"],
        "programme": groups["programme"],
    }


_ORDER = {  # (sort key, newest first)
    "year": (lambda row: row["year__label"], True),
    "member": (lambda row: (-row["count"], row["member__name"]), False),
    "head": (lambda row: row["head__number"], False),
    "subhead": (lambda row: (row["subhead_code"], row["subhead_title"]), False),
}


def _facet(name: str, rows: list[dict], selected: str) -> Facet:
    value_field, label_field = _FACETS[name]
    key, reverse = _ORDER[name]
    rows = sorted(rows, key=key, reverse=reverse)
    options = [_option(row[value_field], row.get(label_field), row["count"], selected, name) for row in rows]
    return Facet(name, _keep_selected(options, selected))


def _programmes_of(head: str) -> dict[int, Programme]:
    return {p.id: p for p in Programme.objects.filter(head__number=int(head)).order_by("number")}


def _programme_facet(rows: list[dict], programmes: dict[int, Programme], selected: str) -> Facet:
    """Programme counts of the chosen head within the results, from the counts of each combination of them."""
    counts: Counter[int] = Counter()
    for row in rows:
        counts.update(dict.fromkeys(row["programme_ids"], row["count"]))
    options = [
        _option(p.number, p.name, counts[p.id], selected, "programme") for p in programmes.values() if p.id in counts
    ]
    return Facet("programme", _keep_selected(options, selected))


def _not_provided_facet(rows: list[dict], selected: str) -> Facet:
    """Replies by what they did not provide, from the counts of each combination of kinds, and "any" of them."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(dict.fromkeys(row["not_provided_kinds"], row["count"]))
        counts[ANY_NOT_PROVIDED] += row["count"] if row["not_provided_kinds"] else 0
    labels = {**NOT_PROVIDED_KINDS, ANY_NOT_PROVIDED: _("any of these")}
    options = [Option(kind, str(label), counts[kind], selected=kind == selected)
               for kind, label in labels.items() if counts[kind] or kind == selected]
    return Facet("not_provided", tuple(options))


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
