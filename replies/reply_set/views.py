"""The reply set's page, its forms and its export.

Every change is a POST form (CSRF-protected) that redirects back, so the set works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from replies.exports.problem import problem
from replies.exports.selection import InvalidFilters, listing_selection, set_selection
from replies.exports.views import export_selection
from replies.models import Reply
from replies.reply_set.store import MAX_SET_SIZE, ReplySet


def back(request, fallback: str = "reply-set"):
    """Return to the page the form was on, if it is on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def posted_reply(request) -> Reply | None:
    raw = request.POST.get("reply", "")
    return Reply.objects.select_related("year").filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None


def unknown_reply(request):
    return problem(request, _("No such reply"), _("The form did not name a reply that exists."), 400)


@require_safe
def reply_set_page(request):
    reply_set = ReplySet(request.session)
    selection = set_selection(reply_set.ids)
    replies = list(selection.replies)
    if len(replies) != len(reply_set.ids):  # a reply removed since it was ticked
        reply_set.save([reply.pk for reply in replies])
    return render(request, "reply_set/set.html", {"replies": replies, "max_set_size": MAX_SET_SIZE})


@require_POST
def add_reply(request):
    reply = posted_reply(request)
    if reply is None:
        return unknown_reply(request)
    if not ReplySet(request.session).add([reply.pk]):
        messages.warning(request, _("The set is full (%(max)d replies).") % {"max": MAX_SET_SIZE})
    return back(request)


@require_POST
def add_listing(request):
    """Adds every reply of a listing (its query string in the form) to the set, up to the set's limit."""
    request.GET = QueryDict(request.POST.get("query", ""))
    try:
        selection = listing_selection(request)
    except InvalidFilters:
        return problem(request, _("Invalid search"), _("The listing's search or filters are not valid."), 400)
    added = ReplySet(request.session).add(selection.replies.values_list("pk", flat=True)[:MAX_SET_SIZE])
    messages.success(request, _("%(count)d replies added to your set.") % {"count": added})
    return back(request)


@require_POST
def remove_reply(request):
    reply = posted_reply(request)
    if reply is None:
        return unknown_reply(request)
    ReplySet(request.session).remove(reply.pk)
    return back(request)


@require_POST
def move_reply(request):
    reply, direction = posted_reply(request), request.POST.get("direction")
    if reply is None or direction not in ("up", "down"):
        return problem(request, _("Cannot move"), _("Say which reply to move, up or down."), 400)
    ReplySet(request.session).move(reply.pk, -1 if direction == "up" else 1)
    return back(request)


@require_POST
def clear(request):
    ReplySet(request.session).save([])
    return back(request)


@require_safe
def export_set(request, format: str):
    """The set in the format asked, in the set's order (or the page saying why not)."""
    return export_selection(request, set_selection(ReplySet(request.session).ids), format, "reply-set-export")
