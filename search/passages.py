"""Passages: a long search_text cut into overlapping pieces, so a term is confirmed without reading it all.

Why: a term of three or more characters (or a phrase) is confirmed by finding it in the text of every candidate.
The few replies longer than PASSAGE_MIN_CHARS hold a large share of all text, and they are candidates of
most terms (a long reply has most bigrams), so most of the text a phrase reads is theirs (figures in
docs/BENCHMARKS.md). Their passages carry their own match lexemes (a GIN index), so only the few passages that
have all of a term's lexemes are read, and a passage (at most ~1.8 kB) is stored in its row, not in TOAST.

Exactness: every occurrence of a term of at most PASSAGE_OVERLAP characters lies wholly inside one passage
(passage k covers at least [k * step, (k + 1) * step + overlap)), and a passage never starts or ends inside a
run of token characters, so a token edge at a passage edge is a real one (the regex treats the string's edge as
a non-token character, which the text there is) and every token of a passage is a whole token of the text.
"""

from __future__ import annotations

from .chars import is_token_char

PASSAGE_MIN_CHARS = 2_000  # a reply whose search_text is longer gets passages
PASSAGE_STEP = 500
# The longest term confirmed in passages; a longer one (a pasted sentence) is confirmed in the whole text.
PASSAGE_OVERLAP = 100

def passages_of(search_text: str) -> list[str]:
    """The passages stored for a reply: none when its text is short enough to read whole."""
    return passages(search_text) if len(search_text) > PASSAGE_MIN_CHARS else []


def confirmed_in_passages(normalised_term: str) -> bool:
    """True when every occurrence of the term lies inside one passage."""
    return len(normalised_term) <= PASSAGE_OVERLAP


def passages(text: str, step: int = PASSAGE_STEP, overlap: int = PASSAGE_OVERLAP) -> list[str]:
    """The overlapping passages of ``text`` in order (one passage, the whole text, when it is short)."""
    return [text[begin:end] for begin, end in passage_spans(text, step, overlap)]


def passage_spans(text: str, step: int = PASSAGE_STEP, overlap: int = PASSAGE_OVERLAP) -> list[tuple[int, int]]:
    """(begin, end) of each passage: [k * step, (k + 1) * step + overlap) widened to whole tokens."""
    spans, start = [], 0
    while True:
        end = _token_end(text, min(len(text), start + step + overlap))
        spans.append((_token_start(text, start), end))
        if end >= len(text):
            return spans
        start += step


def _cuts_token(text: str, position: int) -> bool:
    """True when ``position`` falls between two token characters."""
    return 0 < position < len(text) and is_token_char(text[position - 1]) and is_token_char(text[position])


def _token_start(text: str, position: int) -> int:
    """``position`` moved back to the start of the token it cuts, if any."""
    while _cuts_token(text, position):
        position -= 1
    return position


def _token_end(text: str, position: int) -> int:
    """``position`` (an end, exclusive) moved on to the end of the token it cuts, if any."""
    while _cuts_token(text, position):
        position += 1
    return position
