"""The reading columns of one reply, from its question and reply text: what it is about (subject, keywords,
subject names) and what it did not provide. Pure: the import's worker processes, save, reindex and the
migration that fills them all call ``reading_columns``."""

from __future__ import annotations

from replies.reading.not_provided import not_provided
from replies.reading.related import subject_names
from replies.reading.subject import KeywordWeights, keywords_of, subject_of

# The Reply fields ``reading_columns`` fills, in its order.
READING_COLUMNS = ("subject", "keywords", "not_provided", "not_provided_kinds", "subject_names")


def reading_columns(question: str, reply: str, weights: KeywordWeights) -> dict:
    """Every reading column of one reply; ``weights``: the corpus's keyword weights."""
    found = not_provided(question, reply)
    return {
        "subject": subject_of(question),
        "keywords": keywords_of(question, reply, weights),
        "not_provided": found,
        "not_provided_kinds": sorted({entry["kind"] for entry in found}),
        "subject_names": subject_names(question, reply),
    }


def keyword_text(question: str, reply: str) -> str:
    """The text of one reply that keyword weights are counted over."""
    return f"{question}\n\n{reply}"
