"""A clerk's reply set: replies ticked on listing and reply pages, kept in the session, in the clerk's order.

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
from replies.models import Reply

SESSION_KEY = "reply_set"
MAX_SET_SIZE = 1_000  # what one Word export holds (exports.views.LIMITS)


class ReplySet:
    """The ordered reply ids in the session; tolerant of anything odd a session may hold."""

    def __init__(self, session):
        self.session = session

    @property
    def ids(self) -> list[int]:
        stored = self.session.get(SESSION_KEY, [])
        return [pk for pk in stored if isinstance(pk, int)] if isinstance(stored, list) else []

    def save(self, ids: list[int]) -> None:
        self.session[SESSION_KEY] = ids

    def add(self, new_ids) -> int:
        """Appends the replies not yet in the set, up to MAX_SET_SIZE; returns how many were added."""
        ids = self.ids
        present = set(ids)
        fresh = [pk for pk in dict.fromkeys(new_ids) if pk not in present][: max(0, MAX_SET_SIZE - len(ids))]
        self.save(ids + fresh)
        return len(fresh)

    def remove(self, pk: int) -> None:
        self.save([existing for existing in self.ids if existing != pk])

    def move(self, pk: int, offset: int) -> None:
        ids = self.ids
        if pk in ids:
            old = ids.index(pk)
            new = min(max(old + offset, 0), len(ids) - 1)
            ids.insert(new, ids.pop(old))
            self.save(ids)


def context_processor(request) -> dict:
    """reply_set_count for the header badge; reply_set_ids so each toggle knows whether its reply is in."""
    session = getattr(request, "session", None)
    ids = ReplySet(session).ids if session is not None else []
    return {"reply_set_count": len(ids), "reply_set_ids": frozenset(ids)}


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
