"""HTML pages: thin functions over ReplyFilter and the models; every page works without JavaScript."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from replies.facets import facets_for, result_count
from replies.filters import MAX_INT, ReplyFilter
from replies.highlighting import reply_snippet
from replies.models import Head, Member, Reply, Year
from replies.page_data import (
    BadRequest,
    active_filters,
    filter_errors,
    listing_state,
    member_summary,
    neighbours,
    page_of,
    sorted_members,
)
from replies.pagination import IdFirstPaginator
from replies.programme_context import programme_context
from replies.querysets import FULL_RANK_LIMIT

PAGE_SIZE = 20
ORDERINGS = [
    ("relevance", _("relevance (best match first)")),
    ("serial", _("reply serial")),
    ("-serial", _("reply serial, last first")),
    ("question_serial", _("question serial")),
    ("-question_serial", _("question serial, last first")),
    ("member", _("member")),
    ("-member", _("member, reverse")),
]


def render_page(request, template: str, context: dict, status: int = 200):
    """The page; the 简体 switch is applied to every page by ScriptSwitchMiddleware."""
    return render(request, template, context, status=status)


def bad_request(request, template: str, context: dict, errors: list[str]):
    return render_page(request, template, {**context, "errors": errors}, status=400)


def found_or_404(queryset, message: str):
    """The one object, or a 404 page that says in the reader's language what was not found."""
    found = queryset.first()
    if found is None:
        raise Http404(message)
    return found


def home(request):
    context = {
        "years": Year.objects.annotate(count=Count("replies")).order_by("-label"),
        "heads": Head.objects.annotate(count=Count("replies")).order_by("number"),
        "reply_count": Reply.objects.count(),
        "member_count": Member.objects.count(),
    }
    return render_page(request, "replies/home.html", context)


def reply_list(request):
    filterset = ReplyFilter(request.GET, queryset=Reply.objects.all())
    context = {"filterset": filterset, "state": listing_state(request.GET)}
    errors = filter_errors(filterset)
    if errors:
        return bad_request(request, "replies/reply_list.html", context, errors)
    results = filterset.qs
    facets = facets_for(results, context["state"])
    paginator = IdFirstPaginator(results, PAGE_SIZE)
    paginator.count = result_count(facets)  # the facets' one pass over the matches has counted them already
    try:
        page = page_of(paginator, request.GET.get("page"))
    except BadRequest as problem:
        return bad_request(request, "replies/reply_list.html", context, [str(problem)])
    query = filterset.search_query
    context.update(
        page=page,
        query=query,
        results=[(reply, reply_snippet(reply, query)) for reply in page.object_list],
        facets=facets,
        active_filters=active_filters(context["state"], facets),
        orderings=ORDERINGS if query else ORDERINGS[1:],
        ordering=context["state"].get("ordering") or ("relevance" if query else "serial"),
    )
    context["coarse_order_limit"] = coarse_order_limit(context["ordering"], query, page.paginator.count)
    return render_page(request, "replies/reply_list.html", context)


def coarse_order_limit(ordering: str, query, count: int) -> str | None:
    """FULL_RANK_LIMIT, formatted, when relevance order skipped ts_rank for this many results (the page says
    so), else None."""
    ranked = ordering == "relevance" and query is not None and not query.is_empty
    return f"{FULL_RANK_LIMIT:,}" if ranked and count > FULL_RANK_LIMIT else None


def reply_detail(request, year: str, serial: str):
    missing = _("There is no reply %(serial)s in the year %(year)s.") % {"serial": serial, "year": year}
    if "\x00" in year + serial:  # PostgreSQL text cannot hold NUL: no reply can match
        raise Http404(missing)
    reply = found_or_404(Reply.objects.with_related().filter(year__label=year, serial=serial), missing)
    filterset = ReplyFilter(request.GET, queryset=Reply.objects.all())
    previous, following = neighbours(filterset, reply) if not filter_errors(filterset) else (None, None)
    context = {
        "reply": reply,
        "query": filterset.search_query,
        "previous": previous,
        "next": following,
        "state": listing_state(request.GET),
    }
    return render_page(request, "replies/reply_detail.html", context)


def member_list(request):
    try:
        members, sort = sorted_members(request.GET.get("sort", ""))
    except BadRequest as problem:
        return bad_request(request, "replies/member_list.html", {"members": [], "sort": ""}, [str(problem)])
    return render_page(request, "replies/member_list.html", {"members": members, "sort": sort})


def member_detail(request, member_id: int):
    member = found_or_404(Member.objects.filter(pk=member_id if member_id <= MAX_INT else 0), _("There is no member number %(id)s.") % {"id": member_id})
    context = {
        "member": member,
        "member_params": urlencode({"member": member.name}),
        "replies": member.replies.with_related().in_serial_order(),
        **member_summary(member),
    }
    return render_page(request, "replies/member_detail.html", context)


def head_detail(request, number: int):
    head = found_or_404(Head.objects.filter(number=number if number <= MAX_INT else 0), _("There is no Head %(number)s here.") % {"number": number})
    programmes = head.programmes.annotate(count=Count("replies")).order_by("number")
    report_year, contexts = programme_context(head.number)
    context = {
        "head": head,
        "head_params": urlencode({"head": head.number}),
        "programmes": [(programme, contexts.get(programme.number)) for programme in programmes],
        "report_year": report_year,
        "replies": head.replies.with_related().in_serial_order(),
    }
    return render_page(request, "replies/head_detail.html", context)
