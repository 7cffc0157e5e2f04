"""Filter options with their counts within the current results: one GROUP BY GROUPING SETS query for all facets.

Every facet counts over the same filtered rows, read once, so the counts always add up to what the listing
shows, whatever the page size. The selected option stays listed even when it counts nothing, so a reader can
always see and undo it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection

from replies.models import Head, Member, Programme, Reply, Year


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


def facets_for(filtered, selected: dict[str, str]) -> list[Facet]:
    """The year, member, head, subhead (and, once a head is chosen, programme) facets of ``filtered``."""
    groups = _grouped_counts(filtered)
    facets = [_facet(name, groups[name], selected.get(name, "")) for name in _FACETS]
    if selected.get("head"):
        facets.insert(3, _programme_facet(filtered, selected["head"], selected.get("programme", "")))
    return facets


def result_count(facets: list[Facet]) -> int:
    """How many replies the facets were counted over: every reply has a year, so the year counts add up to it."""
    year = next(facet for facet in facets if facet.name == "year")
    return sum(option.count for option in year.options)


# GROUPING(year_id, member_id, head_id, subhead_code, subhead_title): a bit is set for each column NOT grouped on
_GROUPING_SETS = {0b01111: "year", 0b10111: "member", 0b11011: "head", 0b11100: "subhead"}


def _grouped_counts(filtered) -> dict[str, list[dict]]:
    """Every facet's counts in one pass over the matching rows (GROUP BY GROUPING SETS): at 200,000 replies a
    common term matches 100,000 of them, which must be read once, not once per facet nor as a list of ids."""
    columns = ("year_id", "member_id", "head_id", "subhead_code", "subhead_title")
    matched = _matched_sql(filtered.values(*columns))
    if matched is None:
        return {name: [] for name in _FACETS}
    inner, params = matched
    listed = ", ".join(columns)
    sql = (f"SELECT {listed}, GROUPING({listed}), count(*) FROM ({inner}) AS matched "
           "GROUP BY GROUPING SETS ((year_id), (member_id), (head_id), (subhead_code, subhead_title))")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    years = dict(Year.objects.values_list("id", "label"))
    members = dict(Member.objects.values_list("id", "name"))
    heads = {pk: (number, name) for pk, number, name in Head.objects.values_list("id", "number", "name")}
    groups: dict[str, list[dict]] = {name: [] for name in _FACETS}
    for year, member, head, code, title, grouping, count in rows:
        name = _GROUPING_SETS[grouping]
        if name == "year":
            groups[name].append({"year__label": years[year], "count": count})
        elif name == "member":
            groups[name].append({"member__name": members[member], "count": count})
        elif name == "head":
            groups[name].append({"head__number": heads[head][0], "head__name": heads[head][1], "count": count})
        elif code:
            groups[name].append({"subhead_code": code, "subhead_title": title, "count": count})
    return groups


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


def _programme_facet(filtered, head: str, selected: str) -> Facet:
    """Programme counts of the chosen head within the results. The head's programmes are looked up first, so
    the count reads only their links, by id (a join through programme and head numbers is misestimated and
    probed row by row: 51 -> 31 ms for 6,312 replies at 200,000). The search's SQL names the reply table, so
    the results are a derived table, never re-aliased inside a Django subquery."""
    programmes = {p.id: p for p in Programme.objects.filter(head__number=int(head)).order_by("number")}
    matched = _matched_sql(filtered.values("id"))
    if matched is None or not programmes:
        return Facet("programme", _keep_selected([], selected))
    inner, params = matched
    sql = (
        f"SELECT link.programme_id, count(*) FROM {Reply.programmes.through._meta.db_table} AS link "
        f"WHERE link.programme_id = ANY(%s) AND link.reply_id IN (SELECT matched.id FROM ({inner}) AS matched) "
        "GROUP BY link.programme_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(programmes), *params])
        counts = dict(cursor.fetchall())
    options = [
        _option(p.number, p.name, counts[p.id], selected, "programme") for p in programmes.values() if p.id in counts
    ]
    return Facet("programme", _keep_selected(options, selected))


def _matched_sql(values) -> tuple[str, tuple] | None:
    """The SQL of the matching rows, or None when Django knows there are none (a query of exclusions only)."""
    try:
        return values.order_by().query.sql_with_params()
    except EmptyResultSet:
        return None


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
