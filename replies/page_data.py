"""What the pages compute beyond one queryset: validation messages, pages, neighbours, member figures.

Each function runs a fixed number of queries, so a page costs the same whatever its size.
"""

from __future__ import annotations

import statistics

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from replies.models import Member, Reply

LISTING_PARAMETERS = ("q", "year", "member", "head", "programme", "subhead", "ordering")
MEMBER_SORTS = {
    "-count": ("-count", "name"),
    "count": ("count", "name"),
    "name": ("name",),
    "-name": ("-name",),
}


class BadRequest(ValueError):
    """A parameter the page cannot use; the message tells the reader what to change."""


def listing_state(params) -> dict:
    """The listing's filters and ordering as given (blank ones left out), with their shareable query string."""
    given = {name: params.get(name, "").strip() for name in LISTING_PARAMETERS}
    given = {name: value for name, value in given.items() if value}
    q_only = {"q": given["q"]} if "q" in given else {}
    return {**given, "params": given, "query_string": urlencode(given), "q_only": q_only}


def active_filters(state: dict, facets) -> list[tuple[str, dict]]:
    """(label, parameters without it) for each chosen filter; dropping a head drops its programme too."""
    removals = []
    for facet in facets:
        if facet.selected:
            dropped = {facet.name, "programme"} if facet.name == "head" else {facet.name}
            removals.append((facet.selected.label, {k: v for k, v in state["params"].items() if k not in dropped}))
    return removals


def filter_errors(filterset) -> list[str]:
    """One readable line per invalid parameter ("Head: Enter a whole number."), or [] when all are valid."""
    if filterset.is_valid():
        return []
    fields = filterset.form.fields
    return [
        f"{fields[name].label or name if name in fields else name} ({name}): {message}"
        for name, messages in filterset.form.errors.items()
        for message in messages
    ]


def page_of(paginator, number: str | None):
    """The requested page; a page that is not a number or is past the end is a BadRequest that says so."""
    try:
        return paginator.page(number or 1)
    except PageNotAnInteger:
        raise BadRequest(_("The page must be a whole number, not “%(page)s”.") % {"page": number}) from None
    except EmptyPage:
        raise BadRequest(
            _("There is no page %(page)s: these results have %(pages)d page(s).")
            % {"page": number, "pages": paginator.num_pages}
        ) from None


def neighbours(filterset, reply) -> tuple[Reply | None, Reply | None]:
    """The replies before and after ``reply`` within the filtered, ordered results (two queries)."""
    ids = list(filterset.qs.prefetch_related(None).values_list("pk", flat=True))
    if reply.pk not in ids:
        return None, None
    position = ids.index(reply.pk)
    wanted = {
        "previous": ids[position - 1] if position > 0 else None,
        "next": ids[position + 1] if position + 1 < len(ids) else None,
    }
    found = Reply.objects.select_related("year").in_bulk([pk for pk in wanted.values() if pk])
    return found.get(wanted["previous"]), found.get(wanted["next"])


def sorted_members(sort: str):
    """Every member with their number of questions, in the order asked (most questions first by default)."""
    sort = sort or "-count"
    if sort not in MEMBER_SORTS:
        raise BadRequest(
            _("Sort by one of %(choices)s, not “%(sort)s”.") % {"choices": ", ".join(MEMBER_SORTS), "sort": sort}
        )
    return Member.objects.annotate(count=Count("replies")).order_by(*MEMBER_SORTS[sort]), sort


def member_summary(member: Member) -> dict:
    """The member's count against the median member's, and what they asked about (by head, by programme)."""
    counts = list(Member.objects.annotate(count=Count("replies")).values_list("count", flat=True))
    heads = list(
        member.replies.values("head__number", "head__name").annotate(count=Count("pk")).order_by("-count", "head__number")
    )
    programmes = list(
        Reply.programmes.through.objects.filter(reply__member=member)
        .values("programme__head__number", "programme__number", "programme__name")
        .annotate(count=Count("reply_id"))
        .order_by("-count", "programme__head__number", "programme__number")
    )
    question_count = sum(row["count"] for row in heads)
    median = _plain_number(statistics.median(counts)) if counts else 0
    return {
        "comparison_bars": _bars([(member.name, question_count), (_("the median member"), median)]),
        "question_count": question_count,
        "median_count": median,
        "member_total": len(counts),
        "head_bars": _bars([(f"{r['head__number']} {r['head__name']}", r["count"]) for r in heads]),
        "programme_bars": _bars(
            [(f"{r['programme__head__number']}·({r['programme__number']}) {r['programme__name']}", r["count"])
             for r in programmes]
        ),
    }


def _plain_number(value: float) -> int | float:
    """3.0 -> 3; 3.5 stays (the median of an even number of members)."""
    return int(value) if float(value).is_integer() else value


def _bars(rows: list[tuple[str, int]], full_width: int = 100) -> list[dict]:
    """Chart rows: label, count and a bar width in percent of the largest count (SVG attributes, no styles)."""
    largest = max((count for _, count in rows), default=0)
    return [
        {"label": label, "count": count, "width": round(full_width * count / largest, 1) if largest else 0}
        for label, count in rows
    ]
