"""Marked-up text for pages and the API: a snippet around a reply's best hit, or a whole text with every hit.

The marking is done in Python on the original text (search.highlight), so the query 数码港 marks 數碼港; every
piece of text is HTML-escaped and only <mark> is added.
"""

from __future__ import annotations

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from search import Query, highlight
from search.normalise import normalised_once

SNIPPET_WIDTH = 150


def mark_text(text: str, query: Query | None) -> SafeString:
    """The whole ``text``, escaped, with every hit of the query's positive terms in <mark>."""
    if query is None:
        return conditional_escape(text or "")
    return mark_safe(highlight(text or "", query))


def mark_with_evidence(text: str, query: Query | None, evidence: list[str]) -> SafeString:
    """``mark_text`` of ``text`` with each evidence sentence found in it (a statement that information was not
    provided, replies/reading/not_provided.py) wrapped in <span class="evidence">."""
    pieces, done = [], 0
    for start, end in _evidence_spans(text or "", evidence):
        pieces += [mark_text(text[done:start], query),
                   format_html('<span class="evidence">{}</span>', mark_text(text[start:end], query))]
        done = end
    pieces.append(mark_text((text or "")[done:], query))
    return mark_safe("".join(pieces))


def _evidence_spans(text: str, evidence: list[str]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans of the first occurrence of each evidence sentence in ``text``."""
    spans = sorted((found, found + len(sentence)) for sentence in evidence if sentence
                   and (found := text.find(sentence)) >= 0)
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def reply_snippet(reply, query: Query | None) -> SafeString:
    """About 150 characters around the best hit: in the question, the reply, or a labelled metadata field
    (the field that holds the most query terms; question before reply before metadata among equals).
    Without a query or a hit: the start of the question."""
    normalised = _normalised_question_and_reply(reply) if query is not None else {}
    best = _best_field(reply, query, normalised) if query is not None else None
    if best is None:
        return mark_safe(highlight(reply.question or "", Query(""), snippet=True, width=SNIPPET_WIDTH))
    label, text = best
    snippet = mark_safe(highlight(text, query, snippet=True, width=SNIPPET_WIDTH, normalised=normalised.get(text)))
    return format_html("{}：{}", label, snippet) if label else snippet


def _best_field(reply, query: Query, normalised: dict[str, str]) -> tuple[str, str] | None:
    """(label, text) of the field with the most distinct query terms found, or None when none has a hit."""
    best, best_count = None, 0
    every_term = len(query.positive_terms)
    for label, text in _snippet_fields(reply):
        count = _terms_found(text, query, normalised.get(text))
        if count > best_count:
            best, best_count = (label, text), count
        if best_count == every_term:  # no later field can do better: do not read a long reply for nothing
            break
    return best


def _terms_found(text: str, query: Query, normalised: str | None = None) -> int:
    if not text:
        return 0
    if normalised is None:
        normalised = normalised_once(text)[0]  # highlight reads the chosen field again: normalised once
    return sum(1 for term in query.positive_terms if term.matches(normalised))


def _normalised_question_and_reply(reply) -> dict[str, str]:
    """{original: normalised} of the question and the reply as the search_text column holds them (its second and
    last lines: replies.search_index), when the reply was loaded with it. Why: normalising a long reply again
    just to see whether it holds a term cost most of an API page's time; the chosen field's hits are then
    carried back to the original by search.offsets, without normalising it either."""
    if "search_text" in reply.get_deferred_fields() or not reply.search_text:
        return {}
    lines = reply.search_text.split("\n")
    return {reply.question: lines[1], reply.reply: lines[-1]} if len(lines) > 2 else {}


def _snippet_fields(reply) -> list[tuple[str, str]]:
    """The fields a snippet may come from, in order of preference; metadata carries its field's label."""
    programmes = "、".join(programme.name for programme in reply.programmes.all())
    return [
        ("", reply.question),
        ("", reply.reply),
        (_label("member"), reply.member.name),
        (_label("head"), reply.head.name),
        (_label("programmes"), programmes),
        (_label("subhead_title"), reply.subhead),
        (_label("controlling_officer_title"), reply.controlling_officer),
        (_label("director_of_bureau"), reply.director_of_bureau),
    ]


def _label(field_name: str) -> str:
    """The model field's verbose name (translated like everywhere else it is shown), capitalised."""
    from replies.models import Reply

    return capfirst(Reply._meta.get_field(field_name).verbose_name)
