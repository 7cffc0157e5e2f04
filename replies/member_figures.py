"""What the member pages show beyond the members themselves: the list in the order asked, and one member's figures
(their count against the median member's, their questions by head and by programme) in a fixed number of queries.
"""

from __future__ import annotations

import statistics

from django.db.models import Count
from django.utils.translation import gettext as _

from replies.listing_state import BadRequest
from replies.models import Member, Reply

MEMBER_SORTS = {
    "-count": ("-count", "name"),
    "count": ("count", "name"),
    "name": ("name",),
    "-name": ("-name",),
}


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
    counts = member_counts()
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


def member_counts() -> list[int]:
    """Every member's number of questions, those without any included (as 0)."""
    counts = list(Reply.objects.counts_by("member_id").values())
    return counts + [0] * (Member.objects.count() - len(counts))


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
