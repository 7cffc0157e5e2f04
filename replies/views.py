"""HTML pages: thin functions over ReplyFilter and the models; every page works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from replies.facets import facets_for, result_count
from replies.filters import ReplyFilter
from replies.highlighting import reply_snippet
from replies.listing_state import BadRequest, active_filters, exact_search, filter_errors, listing_state, page_of
from replies.listing_vocabulary import (
    LISTING_PAGE_SIZE,
    MAX_INT,
    ORDERINGS,
    PAGE_PARAMETER,
    RELEVANCE,
    SERIAL,
)
from replies.member_figures import member_summary, sorted_members
from replies.models import Head, Member, Reply, Year
from replies.programme_context import programme_context
from replies.querysets import FULL_RANK_LIMIT
from replies.reading_store import not_provided_counts, related_replies
from replies.reply_search import ReplySearch
from replies.templatetags.portal import query_string

DETAIL_PAGE_SIZE = 50  # replies per page on a member's or a head's page
ORDERING_MENU = [(ordering.key, ordering.label) for ordering in ORDERINGS.values()]  # relevance first


def bad_request(request, template: str, context: dict, errors: list[str]):
    return render(request, template, {**context, "errors": errors}, status=400)


def found_or_404(queryset, message: str):
    """The one object, or a 404 page that says in the reader's language what was not found."""
    found = queryset.first()
    if found is None:
        raise Http404(message)
    return found


def home(request):
    years = counted_by(Year.objects.order_by("-label"), "year_id")
    context = {
        "years": years,
        "heads": counted_by(Head.objects.order_by("number"), "head_id"),
        "reply_count": sum(year.count for year in years),  # every reply has a year
        "member_count": Member.objects.count(),
    }
    return render(request, "replies/home.html", context)


def counted_by(objects, reply_column: str) -> list:
    """``objects``, each with ``count``: its number of replies (ReplyQuerySet.counts_by says why not annotate)."""
    counts = Reply.objects.counts_by(reply_column)
    listed = list(objects)
    for item in listed:
        item.count = counts.get(item.pk, 0)
    return listed


def reply_list(request):
    filterset = ReplyFilter(request.GET, queryset=Reply.objects.all())
    context = {"filterset": filterset, "state": listing_state(request.GET)}
    errors = filter_errors(filterset)
    if errors:
        return bad_request(request, "replies/reply_list.html", context, errors)
    search = ReplySearch.from_filterset(filterset, request.GET.get(PAGE_PARAMETER))
    facets = facets_for(search, context["state"])
    search = search.with_count(result_count(facets))  # the facets' one pass over the matches has counted them
    try:
        page = page_of(search, LISTING_PAGE_SIZE)
    except BadRequest as problem:
        return bad_request(request, "replies/reply_list.html", context, [str(problem)])
    query = search.query
    context.update(
        page=page,
        query=query,
        results=[(reply, reply_snippet(reply, query)) for reply in page.object_list],
        facets=facets,
        active_filters=active_filters(context["state"], facets),
        orderings=ORDERING_MENU if query else ORDERING_MENU[1:],
        ordering=context["state"].get("ordering") or (RELEVANCE if query else SERIAL),
    )
    context["coarse_order_limit"] = coarse_order_limit(context["ordering"], query, page.paginator.count)
    context["exact_search"] = exact_search(context["state"], query)
    return render(request, "replies/reply_list.html", context)


def coarse_order_limit(ordering: str, query, count: int) -> str | None:
    """FULL_RANK_LIMIT, formatted, when relevance order skipped ts_rank for this many results (the page says
    so), else None."""
    ranked = ordering == RELEVANCE and query is not None and not query.is_empty
    return f"{FULL_RANK_LIMIT:,}" if ranked and count > FULL_RANK_LIMIT else None


def reply_or_404(replies, year: str, serial: str) -> Reply:
    """The reply ``serial`` of ``year`` among ``replies``, or the 404 page that names what was asked for."""
    missing = _("There is no reply %(serial)s in the year %(year)s.") % {"serial": serial, "year": year}
    if "\x00" in year + serial:  # PostgreSQL text cannot hold NUL: no reply can match
        raise Http404(missing)
    return found_or_404(replies.filter(year__label=year, serial=serial), missing)


def reply_detail(request, year: str, serial: str):
    reply = reply_or_404(Reply.objects.with_related(), year, serial)
    search, _errors = search_from(request)  # with bad parameters the reply is shown alone
    steps = search is not None and not search.has_cheap_neighbours()
    previous, following = search.neighbours(reply) if search and not steps else (None, None)
    context = {
        "reply": reply,
        "query": search.query if search else None,
        "previous": previous,
        "next": following,
        "steps": steps,  # links to reply_step instead of the neighbours themselves
        "state": listing_state(request.GET),
        "related": related_replies(reply),
    }
    return render(request, "replies/reply_detail.html", context)


def reply_step(request, year: str, serial: str, direction: str):
    """The previous or next reply of the search a reply page was reached from, as a redirect keeping the search;
    past either end, the search's listing. Why a page of its own: for a large result finding a neighbour costs
    more than the reply page, which then only links here (ReplySearch.has_cheap_neighbours)."""
    reply = reply_or_404(Reply.objects.select_related("year"), year, serial)
    search, errors = search_from(request)
    if errors:
        return bad_request(request, "400.html", {}, errors)
    previous, following = search.neighbours(reply)
    found = previous if direction == "previous" else following
    params = query_string(listing_state(request.GET)["params"])
    if found is None:
        end = _("That was the first result.") if direction == "previous" else _("That was the last result.")
        messages.info(request, end)
        return redirect(reverse("reply-list") + params)
    return redirect(found.get_absolute_url() + params)


def search_from(request) -> tuple[ReplySearch | None, list[str]]:
    """The search a reply page was reached from and [], or None and one line per invalid parameter."""
    filterset = ReplyFilter(request.GET, queryset=Reply.objects.all())
    errors = filter_errors(filterset)
    return (None if errors else ReplySearch.from_filterset(filterset)), errors


def member_list(request):
    try:
        members, sort = sorted_members(request.GET.get("sort", ""))
    except BadRequest as problem:
        return bad_request(request, "replies/member_list.html", {"members": [], "sort": ""}, [str(problem)])
    return render(request, "replies/member_list.html", {"members": members, "sort": sort})


def member_detail(request, member_id: int):
    member = found_or_404(Member.objects.filter(pk=member_id if member_id <= MAX_INT else 0), _("There is no member number %(id)s.") % {"id": member_id})
    summary = member_summary(member)
    context = {"member": member, "member_params": urlencode({"member": member.name}), **summary}
    return with_replies_page(request, "replies/member_detail.html", context, member.replies.all(), summary["question_count"])


def head_detail(request, number: int):
    head = found_or_404(Head.objects.filter(number=number if number <= MAX_INT else 0), _("There is no Head %(number)s here.") % {"number": number})
    programmes = head.programmes.annotate(count=Count("replies")).order_by("number")
    report_year, contexts = programme_context(head.number)
    context = {
        "head": head,
        "head_params": urlencode({"head": head.number}),
        "programmes": [(programme, contexts.get(programme.number)) for programme in programmes],
        "report_year": report_year,
        "reply_count": head.replies.count(),
    }
    return with_replies_page(request, "replies/head_detail.html", context, head.replies.all(), context["reply_count"])


def with_replies_page(request, template: str, context: dict, replies, count: int):
    """The page with one page of a member's or a head's replies in serial order, the listing's page parameter
    and its 400 for a bad page. Why pages: a head can have tens of thousands of replies, too many for one page;
    the charts and counts come from aggregates (``count`` is theirs), and the listing and the exports linked from
    the page hold every reply."""
    search = ReplySearch(None, replies.with_related().in_serial_order(), replies, counted=count,
                         page_number=request.GET.get(PAGE_PARAMETER))
    context["not_provided"] = not_provided_counts(replies)
    try:
        context["page"] = page_of(search, DETAIL_PAGE_SIZE)
    except BadRequest as problem:
        return bad_request(request, template, context, [str(problem)])
    return render(request, template, context)
