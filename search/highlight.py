"""Mark query hits in the original text (ts_headline cannot see inside CJK runs).

Hits are found in the normalised, folded text with the terms' own verification regexes, so highlighting
agrees with matching; the offset map of ``normalise_with_offsets`` carries them back to the original, across
scripts (数码港 marks 數碼港) and across removed artefact spaces (數 碼港 is marked whole).
"""

from __future__ import annotations

import bisect
import html
import re

from .normalise import normalised_once
from .offsets import agrees, offsets_for
from .query import Query, compiled_regex

ELLIPSIS = "…"
_WHITESPACE_RUN = re.compile(r"\s+")  # a snippet is one line: line breaks and runs become one space


def highlight(
    original_text: str, query: Query, *, snippet: bool = False, width: int = 150, normalised: str | None = None
) -> str:
    """HTML-escaped ``original_text`` with every hit of a positive term wrapped in <mark>…</mark>.

    With ``snippet=True``: about ``width`` characters around the best hit (the window holding the most hits,
    the earliest of equals), with … where the text is cut, whitespace runs shown as one space; the start of
    the text when nothing matches. ``normalised``: the text's stored normalised form, when the caller has it
    (saves normalising a long text again; the result is the same).
    """
    text = original_text or ""
    spans = hit_spans(text, query, normalised)
    if not snippet:
        return _render(text, spans, 0, len(text))
    start, end = _snippet_window(text, spans, max(int(width), 1))
    return _WHITESPACE_RUN.sub(" ", _render(text, spans, start, end))


def hit_spans(original_text: str, query: Query, normalised: str | None = None) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of hits in ``original_text``; touching hits are merged.
    With its stored ``normalised`` form, the offsets come from search.offsets, unless it does not fit."""
    terms = query.positive_terms
    if not terms or not original_text:
        return []
    if normalised is not None:
        hits = _hits(terms, normalised)
        offsets = offsets_for(original_text, normalised, through=max((end for _, end in hits), default=1) - 1)
        if offsets is not None and all(
            agrees(original_text, normalised, offsets, i) for hit in hits for i in (hit[0], hit[1] - 1)
        ):
            return _merge([(offsets[start], offsets[end - 1] + 1) for start, end in hits])
    normalised, offsets = normalised_once(original_text)
    return _merge([(offsets[start], offsets[end - 1] + 1) for start, end in _hits(terms, normalised)])


def _hits(terms, normalised: str) -> list[tuple[int, int]]:
    """(start, end) in ``normalised`` of every match of every term."""
    return [span for term in terms for span in _all_matches(term.verify_regex, normalised)]


def _all_matches(regex: str, text: str):
    """Every match, overlapping ones included (哈哈 in 哈哈哈 at 0 and 1), so no occurrence goes unmarked."""
    pattern = compiled_regex(regex)
    position = 0
    while (match := pattern.search(text, position)) is not None:
        if match.end() > match.start():
            yield match.span()
        position = match.start() + 1


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _snippet_window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The window of about ``width`` characters with the most hits (earliest wins), never cutting a hit."""
    if not spans:
        return 0, min(len(text), width)
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    lead = width // 4  # context shown before the first hit of the window
    best = None
    for hit_start, _ in spans:
        end = min(len(text), max(hit_start - lead, 0) + width)
        start = max(0, end - width)
        count = bisect.bisect_right(ends, end) - bisect.bisect_left(starts, start)
        if best is None or count > best[0]:
            best = (count, start, end)
    _, start, end = best
    return _widen_to_whole_hits(text, spans, start, end)


def _widen_to_whole_hits(text: str, spans, start: int, end: int) -> tuple[int, int]:
    """Move the edges out of any hit they cut, then in past whitespace at a cut."""
    for hit_start, hit_end in spans:
        if hit_start < start < hit_end:
            start = hit_start
        if hit_start < end < hit_end:
            end = hit_end
    while 0 < start < end and text[start].isspace():
        start += 1
    while start < end < len(text) and text[end - 1].isspace():
        end -= 1
    return start, end


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out = [ELLIPSIS] if start > 0 else []
    position = start
    for hit_start, hit_end in spans:
        if hit_end <= start or hit_start >= end:
            continue
        hit_start, hit_end = max(hit_start, start), min(hit_end, end)
        out.append(html.escape(text[position:hit_start]))
        out.append(f"<mark>{html.escape(text[hit_start:hit_end])}</mark>")
        position = hit_end
    out.append(html.escape(text[position:end]))
    if end < len(text):
        out.append(ELLIPSIS)
    return "".join(out)
