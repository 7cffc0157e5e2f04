"""The Atom feed of any listing: a journalist subscribes to a search and hears when a new year's replies match.

The same ReplyFilter as the listing picks the replies; the newest year comes first, and within a year the
listing's own order (relevance when searching).  Entries are dated by the import of their source file.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from replies.exports.problem import problem
from replies.exports.selection import InvalidFilters, Selection, listing_selection
from replies.models import SourceFile

FEED_SIZE = 100
SUMMARY_LENGTH = 400


def listing_url(query_string: str) -> str:
    try:
        path = reverse("reply-list")
    except NoReverseMatch:  # the listing page is served by replies.urls; fall back to its documented path
        path = "/replies/"
    return f"{path}?{query_string}" if query_string else path


class ReplyFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs) -> Selection:
        return listing_selection(request)

    def title(self, selection: Selection) -> str:
        described = "；".join(f"{label}: {value}" for label, value in selection.description)
        return f"{_('Budget questions and replies')}{' — ' + described if described else ''}"

    def link(self, selection: Selection) -> str:
        return listing_url(selection.query_string)

    def subtitle(self, selection: Selection) -> str:
        return _("%(count)d replies match; the feed lists up to %(size)d, newest year first.") % {
            "count": selection.count,
            "size": FEED_SIZE,
        }

    def items(self, selection: Selection):
        replies = selection.replies
        self.imported = dict(SourceFile.objects.values_list("name").annotate(latest=Max("imported_at")))
        return replies.order_by("-year__label", *replies.query.order_by)[:FEED_SIZE]

    def item_title(self, reply) -> str:
        about = reply.subject or reply.head.name
        return f"{reply.serial}（{reply.year.label}）{reply.member.name}：{about}"

    def item_description(self, reply) -> str:
        question = reply.question.replace("\n\n", " ")
        return question if len(question) <= SUMMARY_LENGTH else question[:SUMMARY_LENGTH] + "…"

    def item_author_name(self, reply) -> str:
        return reply.member.name

    def item_updateddate(self, reply):
        return self.imported.get(reply.source_file) or timezone.now()

    def item_pubdate(self, reply):
        return self.item_updateddate(reply)

    def item_guid(self, reply) -> str:
        return f"tag:legco-replies,{reply.year.label}:{reply.serial}"

    def item_guid_is_permalink(self, reply) -> bool:
        return False


def reply_feed(request):
    """The feed, or a 400 page naming the bad filter (Feed itself only knows 404)."""
    try:
        listing_selection(request)
    except InvalidFilters as invalid:
        message = _("The feed could not be made because the search or its filters are not valid.")
        return problem(request, _("Invalid search"), message, 400, errors=invalid.errors)
    return ReplyFeed()(request)
