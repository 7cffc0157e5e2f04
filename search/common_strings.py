"""Common strings: CJK strings of 3 to 8 characters that many replies contain, each indexed as one lexeme, so
that a search for one is answered by the GIN index alone.

Why: a term of three or more CJK characters is found through its bigrams and then confirmed in the text, since
bigrams side by side in a reply need not be contiguous there. For a string in a tenth of 200,000 replies that
means reading 20,000 texts for every count, page and facet. A common string ``g`` is instead a lexeme of its
own, in the match vector (and, for member and question, the meta vector) of every reply whose text contains it:

    for every g of the set: a reply's search_text contains g  <=>  its match_vector has the lexeme g

so the lexeme proves the match (``prove``). Rare strings are still confirmed in the text, which is cheap since
few replies have them. A lexeme of three or more CJK characters is never a bigram, unigram or token lexeme, so
the two kinds cannot be confused.

The set is drawn from a sample of the corpus (``frequent_strings``: every string that at least ``min_share`` of
the sampled replies contain, and at least ``min_count`` of them). Counting is done by length, each length only
over strings whose two shorter parts were frequent (a string is never in more replies than its parts), so
a sample of thousands of replies takes seconds. Pure: no Django, no database (replies/common_strings.py keeps the
set in the database and the invariant true).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import replace

from .chars import CJK_RUN
from .query import Query, Term

MIN_LENGTH = 3  # one and two characters are unigram and bigram lexemes already
MAX_LENGTH = 8


def frequent_strings(texts: Iterable[str], *, min_share: float, min_count: int,
                     max_length: int = MAX_LENGTH) -> set[str]:
    """Every CJK string of MIN_LENGTH to ``max_length`` characters contained in at least ``min_share`` of
    ``texts`` (normalised search texts) and in at least ``min_count`` of them."""
    runs = [CJK_RUN.findall(text) for text in texts]
    needed = max(min_count, min_share * len(runs))
    found: set[str] = set()
    shorter: set[str] | None = None  # the frequent strings one character shorter (None: not counted yet)
    for length in range(MIN_LENGTH, max_length + 1):
        counts: Counter = Counter()
        for text_runs in runs:
            counts.update(_strings_of(text_runs, length, shorter))
        shorter = {string for string, count in counts.items() if count >= needed}
        if not shorter:
            break
        found |= shorter
    return found


def _strings_of(runs: list[str], length: int, shorter: set[str] | None) -> set[str]:
    """The distinct strings of ``length`` characters in these CJK runs whose two shorter parts are in
    ``shorter`` (every string when ``shorter`` is None)."""
    strings = set()
    for run in runs:
        for start in range(len(run) - length + 1):
            string = run[start : start + length]
            if shorter is None or (string[:-1] in shorter and string[1:] in shorter):
                strings.add(string)
    return strings


class CommonStrings:
    """A set of common strings and how to find them in a text."""

    def __init__(self, strings: Iterable[str]):
        self.strings = frozenset(strings)
        # every prefix of a member: a scan stops lengthening a string as soon as it is no member's prefix
        self._prefixes = frozenset(s[:end] for s in self.strings for end in range(MIN_LENGTH, len(s) + 1))

    def __bool__(self) -> bool:
        return bool(self.strings)

    def found_in(self, normalised_text: str) -> set[str]:
        """The members contained in a normalised text (each is a lexeme of its match vector)."""
        if not self.strings:
            return set()
        found = set()
        prefixes, strings = self._prefixes, self.strings
        for run in CJK_RUN.findall(normalised_text):
            for start in range(len(run) - MIN_LENGTH + 1):
                end = start + MIN_LENGTH
                while end <= len(run) and run[start:end] in prefixes:
                    if run[start:end] in strings:
                        found.add(run[start:end])
                    end += 1
        return found


def is_candidate(text: str) -> bool:
    """Whether ``text`` (normalised) could be a common string: MIN_LENGTH to MAX_LENGTH CJK characters."""
    return MIN_LENGTH <= len(text) <= MAX_LENGTH and CJK_RUN.fullmatch(text) is not None


def candidates(query: Query) -> list[str]:
    """The strings ``prove`` needs to know about: each folded term that reads texts and could be a common string,
    and every CJK string of MIN_LENGTH to MAX_LENGTH characters inside such a term (none once ``prove`` has been
    applied)."""
    if query.common_strings_applied:
        return []
    terms = [term for clause in query.clauses for term in clause.terms if term.needs_verify]
    wanted = {term.folded for term in terms if is_candidate(term.folded)}
    return sorted(wanted.union(*(_inner_strings(term.folded) for term in terms)))


def prove(query: Query, common: Collection[str]) -> Query:
    """``query`` with every term that is a common string searched by its own lexeme, without reading texts, and
    every other term that reads texts filtered also by the longest common strings inside it (a text with the term
    has each of them, so by the invariant its match vector has their lexemes: fewer candidates to confirm)."""
    clauses = tuple(replace(clause, terms=tuple(_proven(term, common) for term in clause.terms))
                    for clause in query.clauses)
    return replace(query, clauses=clauses, common_strings_applied=True)


def _proven(term: Term, common: Collection[str]) -> Term:
    if not term.needs_verify:
        return term
    if term.folded in common:
        return replace(term, lexemes=(term.folded,), needs_verify=False)
    found = _inner_strings(term.folded) & set(common)
    return replace(term, inner_common=tuple(sorted(s for s in found if not any(s != t and s in t for t in found))))


def _inner_strings(folded: str) -> set[str]:
    """Every CJK string of MIN_LENGTH to MAX_LENGTH characters inside ``folded``, the whole excepted."""
    return {run[start : start + length] for run in CJK_RUN.findall(folded)
            for length in range(MIN_LENGTH, MAX_LENGTH + 1) for start in range(len(run) - length + 1)} - {folded}
