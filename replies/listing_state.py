"""The listing's state as the URL gives it, and what a page says when a parameter is wrong: the chosen filters,
one readable line per invalid parameter, the requested page of a search or a BadRequest saying why not.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from replies.listing_vocabulary import LISTING_PARAMETERS
from replies.pagination import IdFirstPaginator


class BadRequest(ValueError):
    """A parameter the page cannot use; the message tells the reader what to change."""


def listing_state(params) -> dict:
    """The listing's filters and ordering as given (blank ones left out), with their shareable query string."""
    given = {name: params.get(name, "").strip() for name in LISTING_PARAMETERS}
    given = {name: value for name, value in given.items() if value}
    q_only = {"q": given["q"]} if "q" in given else {}
    return {**given, "params": given, "query_string": urlencode(given), "q_only": q_only}


def exact_search(state: dict, query) -> dict | None:
    """The listing's parameters with every term that was searched with its aliases quoted, so it is searched
    alone (the link of the "also searched" line); None when no term was."""
    typed = {term for term, _ in query.expanded} if query is not None else set()
    if not typed:
        return None
    return {**state["params"], "q": " ".join(_quoted(word, typed) for word in state["q"].split())}


def _quoted(word: str, typed: set[str]) -> str:
    if word not in typed:
        return word
    return f'-"{word[1:]}"' if word.startswith("-") else f'"{word}"'


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


def page_of(search, per_page: int):
    """The page the search was made for; a page that is not a number or is past the end is a BadRequest that
    says so."""
    paginator = IdFirstPaginator(search, per_page)
    number = search.page_number
    try:
        return paginator.page(number or 1)
    except PageNotAnInteger:
        raise BadRequest(_("The page must be a whole number, not “%(page)s”.") % {"page": number}) from None
    except EmptyPage:
        raise BadRequest(
            _("There is no page %(page)s: these results have %(pages)d page(s).")
            % {"page": number, "pages": paginator.num_pages}
        ) from None
