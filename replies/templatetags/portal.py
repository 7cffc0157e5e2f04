"""Template helpers for the portal's pages: laid-out reply text with search marks, and shareable URLs."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import get_language

from replies.highlighting import mark_text, mark_with_evidence
from replies.listing_vocabulary import not_provided_labels as labels_of
from replies.table_display import displayed
from replies.text_layout import placed


register = template.Library()


@register.simple_tag
def reply_text(reply, field: str, query=None) -> str:
    """A reply's ``field`` ("question" or "reply") as paragraphs, numbered parts and tables, with the query's hits
    in <mark>; each of its tables (``reply.tables``) stands in place of the paragraphs it was read from; in the
    reply, the sentences saying information was not provided are marked (``reply.not_provided``)."""
    tables = [(number, table) for number, table in enumerate(reply.tables or (), 1) if table.get("field") == field]
    evidence = [entry["evidence"] for entry in reply.not_provided or ()] if field == "reply" else []
    blocks = [_marked(block, query, reply, evidence) for block in placed(getattr(reply, field), tables)]
    # The text is Chinese (its element says so); the interface's words among it say when they are English.
    ui_lang = "en" if get_language() == "en" else ""
    return render_to_string("includes/reply_text.html", {"blocks": blocks, "ui_lang": ui_lang})


def _marked(block, query, reply, evidence: list[str]) -> dict:
    if block.kind == "paragraph":
        return {"kind": block.kind, "label": block.label, "text": mark_with_evidence(block.text, query, evidence)}
    if block.kind == "data":
        return {"kind": block.kind, "table": displayed(block.number, block.table, reply, query)}
    rows = [[mark_text(cell, query) for cell in row] for row in block.rows]
    width = getattr(block, "width", 0)
    return {"kind": block.kind, "rows": [_with_spans(row, width) for row in rows]}


def _with_spans(cells: list, width: int) -> list[tuple[str, int]]:
    """(cell, colspan) pairs: the last cell of a short table row spans the missing columns."""
    spans = [(cell, 1) for cell in cells]
    if width > len(cells):
        spans[-1] = (spans[-1][0], width - len(cells) + 1)
    return spans


@register.simple_tag(takes_context=True)
def url_with(context, **changes) -> str:
    """The current page's query string with some parameters changed (None or "" removes one), '?…' form.

    Changing anything but the page goes back to the first page, so a filter link never lands past the end.
    (Dict order is kept; the page always goes last.)
    """
    params = context["request"].GET.copy()
    params.pop("page", None)  # then put last, so page links differ only at the end
    for key, value in sorted(changes.items(), key=lambda item: item[0] == "page"):
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def query_string(params) -> str:
    """A mapping (or QueryDict) as '?a=b', or '' when empty: for links that carry the listing's state."""
    if hasattr(params, "urlencode"):
        encoded = params.urlencode()
    else:
        encoded = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"?{encoded}" if encoded else ""


@register.filter
def not_provided_labels(kinds) -> list:
    """What the pages call these kinds of information not provided (listing_vocabulary.NOT_PROVIDED_KINDS)."""
    return [str(label) for label in labels_of(kinds or ())]
