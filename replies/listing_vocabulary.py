"""The listing's vocabulary, written once: its parameters, orderings and page parameters with their names, labels,
limits and help texts. The FilterSet, the pages, the API and its documentation, the exports and the feed all read
them from here, so a parameter is renamed, relabelled or limited in one place.

Labels are gettext_lazy with the msgids the translation catalogues are keyed by: changing one's wording here
changes its msgid and drops its translations.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 500  # a longer q is a 400 with a message (the parser would read only this much anyway)
MAX_INT = 2**31 - 1  # PostgreSQL integer: a larger number is a bad request, not a database error
YEAR_PATTERN = r"^\d{4}-\d{2}$"


@dataclass(frozen=True)
class Parameter:
    """One query parameter of the listing."""

    name: str
    label: Promise  # in error lines and in an export's description of its filters
    help_text: str  # the API documentation's description (English, like the rest of that page)
    max_length: int | None = None  # a longer value is a 400; None for the numbers
    filename_prefix: str | None = None  # how the value appears in an export's file name; None: not at all


PARAMETERS: dict[str, Parameter] = {parameter.name: parameter for parameter in (
    Parameter("q", _("search"), max_length=MAX_QUERY_LENGTH, filename_prefix="q-", help_text=(
        'Search words, in Traditional or Simplified Chinese or English. Terms separated by spaces must all match; '
        '"…" keeps a phrase together, OR between terms matches either, -term excludes. With q the default order '
        "is relevance and each result carries a highlighted snippet.")),
    Parameter("year", _("year"), max_length=7, filename_prefix="", help_text="Budget year, e.g. 2023-24."),
    Parameter("member", _("member"), max_length=100, filename_prefix="member-",
              help_text="The member's name exactly as listed, e.g. 吳永嘉."),
    Parameter("head", _("head"), filename_prefix="head", help_text="Head of expenditure number, e.g. 47."),
    Parameter("programme", _("programme"), filename_prefix="programme",
              help_text="Programme number (combine with head), e.g. 3."),
    Parameter("subhead", _("subhead"), max_length=300, filename_prefix="subhead-", help_text="Subhead code or title."),
    Parameter("not_provided", _("information not provided"), filename_prefix="not-provided-",
              help_text=("Replies that said they did not give information asked for: not_kept (not kept, no such "
                         "breakdown), withheld (exists but not disclosed), not_yet (not yet available or decided), "
                         "or any of them.")),
    Parameter("ordering", _("order"), help_text=(
        "relevance (the default with q), serial (the default without), question_serial or member; "
        "a leading - reverses the last three.")),
)}
LISTING_PARAMETERS = tuple(PARAMETERS)  # the order of a listing's shareable query string and of descriptions
# The order of the filters in an export's file name: replies-2023-24-head47-programme3-….
FILENAME_ORDER = ("year", "head", "programme", "member", "subhead", "not_provided", "q")

# What a reply did not provide (replies/reading/not_provided.py, docs/NOT_PROVIDED.md): the not_provided parameter's
# values, with what the pages call them.
NOT_PROVIDED_KINDS: dict[str, Promise] = {
    "not_kept": _("information not kept"),
    "withheld": _("information withheld"),
    "not_yet": _("not yet available"),
}
ANY_NOT_PROVIDED = "any"


def not_provided_labels(kinds) -> list[Promise]:
    """What the pages call these kinds of information not provided, in the order given."""
    return [NOT_PROVIDED_KINDS[kind] for kind in kinds if kind in NOT_PROVIDED_KINDS]


@dataclass(frozen=True)
class Ordering:
    key: str  # the value of the ordering parameter
    label: Promise  # in the listing's "Order by" menu
    order_by: tuple[str, ...]  # the ORDER BY fields; empty for relevance, which the search computes


RELEVANCE = "relevance"  # best first; the default with q, serial order without it
SERIAL = "serial"
ORDERINGS: dict[str, Ordering] = {ordering.key: ordering for ordering in (
    Ordering(RELEVANCE, _("relevance (best match first)"), ()),
    Ordering(SERIAL, _("reply serial"), ("year__label", "serial")),
    Ordering("-serial", _("reply serial, last first"), ("-year__label", "-serial")),
    Ordering("question_serial", _("question serial"), ("question_serial", "year__label", "serial")),
    Ordering("-question_serial", _("question serial, last first"), ("-question_serial", "year__label", "serial")),
    Ordering("member", _("member"), ("member__name", "year__label", "serial")),
    Ordering("-member", _("member, reverse"), ("-member__name", "year__label", "serial")),
)}

PAGE_PARAMETER = "page"
PAGE_HELP = "Page number, from 1. A page past the end answers 404."
PAGE_SIZE_PARAMETER = "page_size"  # the API's only: the listing's pages are LISTING_PAGE_SIZE long
LISTING_PAGE_SIZE = 20
API_PAGE_SIZE = 20
MAX_PAGE_SIZE = 500
PAGE_SIZE_HELP = f"Replies per page, 1 to {MAX_PAGE_SIZE} (default {API_PAGE_SIZE})."
