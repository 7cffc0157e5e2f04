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
from functools import cached_property
from operator import itemgetter

import ahocorasick

from .chars import CJK_RUN
from .query import Query, Term

MIN_LENGTH = 3  # one and two characters are unigram and bigram lexemes already
MAX_LENGTH = 8
_FOUND_STRING = itemgetter(1)  # of an automaton's (end, string) matches


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
    """A set of common strings and how to find them in a text.

    Why Aho-Corasick (pyahocorasick, BSD, a C extension): the import looks for every member in every field of
    every reply, and one pass of an automaton over the text finds them all, where trying each start of each CJK
    run in Python was the workers' costliest step. Only members of MIN_LENGTH or more CJK characters are
    searched for (no other string can be a lexeme of a reply), and such a member found anywhere in a text lies
    inside one of its CJK runs."""

    def __init__(self, strings: Iterable[str]):
        self.strings = frozenset(strings)

    def __bool__(self) -> bool:
        return bool(self.strings)

    def found_in(self, normalised_text: str) -> set[str]:
        """The members contained in a normalised text (each is a lexeme of its match vector)."""
        automaton = self._automaton
        return set(map(_FOUND_STRING, automaton.iter(normalised_text))) if automaton else set()

    @cached_property
    def _automaton(self):
        """Built on first use (a set that is only compared or stored never needs it)."""
        return _automaton(self.strings)

    def __getstate__(self) -> dict:
        return {"strings": self.strings}  # the automaton is rebuilt where it is used


def _automaton(strings: frozenset[str]):
    """An Aho-Corasick automaton of the members that can be found (MIN_LENGTH or more CJK characters); None
    when there are none."""
    findable = [string for string in strings if len(string) >= MIN_LENGTH and CJK_RUN.fullmatch(string)]
    if not findable:
        return None
    automaton = ahocorasick.Automaton()
    for string in findable:
        automaton.add_word(string, string)
    automaton.make_automaton()
    return automaton


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
