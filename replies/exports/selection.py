"""Which replies an export holds: a listing's query string or the reply set, described for covers and file names.

Every export of a listing goes through ReplyFilter, so the file holds exactly the listing's replies in its order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Case, IntegerField, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from replies.filters import ReplyFilter
from replies.listing_vocabulary import FILENAME_ORDER, PARAMETERS
from replies.models import Reply
from replies.reply_search import ReplySearch

UNSAFE_IN_FILENAME = re.compile(r"[^\w.-]+")
MAX_STEM_LENGTH = 80


class InvalidFilters(Exception):
    """The query string does not make a valid listing; carries the form's errors for the 400 page."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Selection:
    """The replies to export, how many, and the words that describe them (cover, summary sheet, file name)."""

    replies: QuerySet
    count: int
    filename_stem: str
    description: list[tuple[str, str]] = field(default_factory=list)
    search_query: object = None  # the parsed q, passed to the API serializer for its highlight
    query_string: str = ""
    created_at: object = field(default_factory=timezone.localtime)

    @property
    def searched(self) -> bool:
        """Whether the replies are a search's matches (see columns.streamed)."""
        return self.search_query is not None

    def filename(self, extension: str, ascii_only: bool = True) -> str:
        stem = self.filename_stem
        if ascii_only:
            stem = re.sub(r"-+", "-", stem.encode("ascii", "ignore").decode()).strip("-") or "replies"
        return f"{stem}.{extension}"

    def content_disposition(self, extension: str) -> str:
        """ASCII filename for every client, RFC 5987 filename* when the name has Chinese in it."""
        plain, full = self.filename(extension), self.filename(extension, ascii_only=False)
        header = f'attachment; filename="{plain}"'
        if full != plain:
            header += f"; filename*=UTF-8''{quote(full)}"
        return header


def listing_selection(request) -> Selection:
    """The replies of the listing for this query string, in the listing's order; InvalidFilters if it is bad."""
    filterset = ReplyFilter(request.GET, queryset=Reply.objects.all())
    if not filterset.is_valid():
        raise InvalidFilters({name: [str(e) for e in errors] for name, errors in filterset.errors.items()})
    search = ReplySearch.from_filterset(filterset)
    cleaned = {name: value for name, value in filterset.form.cleaned_data.items() if value not in (None, "")}
    return Selection(
        replies=search.replies,
        count=search.replies.count(),
        filename_stem=listing_filename_stem(cleaned),
        description=[(str(PARAMETERS[name].label), str(value)) for name, value in cleaned.items()],
        search_query=search.query,
        query_string=request.GET.urlencode(),
    )


def listing_filename_stem(cleaned: dict) -> str:
    """replies-2023-24-head47-…: each given filter (FILENAME_ORDER) with its prefix, cut to MAX_STEM_LENGTH."""
    parts = ["replies"]
    for name in FILENAME_ORDER:
        if name in cleaned:
            parts.append(f"{PARAMETERS[name].filename_prefix}{cleaned[name]}")
    stem = "-".join(UNSAFE_IN_FILENAME.sub("-", part).strip("-") for part in parts)
    return stem[:MAX_STEM_LENGTH].rstrip("-")


def set_selection(reply_ids: list[int]) -> Selection:
    """The reply set's replies in the order the clerk arranged them."""
    position = Case(*[When(pk=pk, then=index) for index, pk in enumerate(reply_ids)], output_field=IntegerField())
    replies = Reply.objects.filter(pk__in=reply_ids).with_related()
    replies = replies.order_by(position) if reply_ids else replies
    count = replies.count()
    today = timezone.localdate().strftime("%Y%m%d")
    return Selection(
        replies=replies,
        count=count,
        filename_stem=f"reply-set-{today}",
        description=[(str(_("reply set")), str(_("%(count)d replies chosen") % {"count": count}))],
    )
