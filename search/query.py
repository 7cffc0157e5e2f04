"""Parse a user's query into exact terms: clauses ANDed, each clause an OR-group of terms.

Syntax (read leniently, never raises):
  數碼港 科學園     terms separated by spaces are ANDed; each may match in a different field
  "smart city"     a phrase: inner spaces mean what they mean in normalised text (one space between Latin
                   words; none next to CJK); an unclosed quote runs to the end of the query
  a OR b           OR (upper case) between two positive terms; AND (upper case) is accepted and ignored
  -term, -"…"      excludes replies containing the term
A term typed without spaces is one contiguous unit: 中學IT創新實驗室 must appear exactly so (after folding),
with IT a whole token. "1 300" in a query is the number 1300, as in the texts.

Punctuation and symbols at the edges of an unquoted term are trimmed ("(AI)," is AI; inner ones stay:
2023-24, iamsmart.gov.hk); a phrase is taken literally. Dropped: lone operators (OR, AND, -), empty phrases,
and terms with no lexeme (only punctuation or symbols, e.g. "&", "((").  Capped: the first ``MAX_QUERY_CHARS`` characters and ``MAX_TERMS`` terms are
read; ``Query.truncated`` says when more was given.  A query whose only terms are exclusions matches
nothing (``Query.matches_nothing``): excluding from "everything" is not a search.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .chars import ASCII_PUNCTUATION, TOKEN_CLASS, is_invisible, is_token_char
from .normalise import normalise_for_search
from .tokens import lexemes_prove_match, rank_words, term_lexemes, tsquery_literal

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
MAX_TERM_LEXEMES = 24  # a longer term is filtered on an even spread of its lexemes, then verified
QUOTES = frozenset('"\u201c\u201d')  # full-width ＂ becomes " before lexing
_QUERY_DIGIT_GROUP = re.compile(r"(?<![A-Za-z0-9.])[0-9]{1,3}(?: [0-9]{3})+(?![0-9])")
_OR = object()


@dataclass(frozen=True)
class Term:
    original: str  # as typed (without the leading "-" and the quotes), for display
    folded: str  # normalised exactly as texts are
    lexemes: tuple[str, ...]  # candidate filter: a matching text has all of them
    needs_verify: bool  # False when having the lexemes proves the match
    verify_regex: str  # PostgreSQL ARE (and Python re) for search_text: containment + token edges
    negated: bool = False
    is_phrase: bool = False
    # The replies that contain it, when they were read once beforehand (replies.querysets.resolved): the SQL then
    # tests membership instead of reading texts again in every statement.
    matched_ids: tuple[int, ...] | None = None

    @property
    def reads_text(self) -> bool:
        """True when the SQL confirms it by reading texts: its lexemes do not prove it, and its replies were not
        read beforehand."""
        return self.needs_verify and self.matched_ids is None

    # Common strings inside the term (search.common_strings.prove): lexemes of a reply's match vector, not of its
    # passages', so they sharpen the filter on replies only.
    inner_common: tuple[str, ...] = ()
    # The folded form the user typed when this term is one form of its alias group (search/aliases.py), else "":
    # the ranking tier counts a group as one term.
    alias_of: str = ""

    @property
    def tsquery(self) -> str:
        """The candidate filter on replies as a tsquery literal: the AND of the common strings inside the term and
        of the lexemes they do not contain (those are implied)."""
        implied = [lexeme for lexeme in self.lexemes if any(lexeme in string for string in self.inner_common)]
        return tsquery_literal([*self.inner_common, *(lexeme for lexeme in self.lexemes if lexeme not in implied)])

    @property
    def passage_tsquery(self) -> str:
        """The candidate filter on passages (search/passages.py): the AND of the lexemes."""
        return tsquery_literal(self.lexemes)

    @property
    def has_token_edge(self) -> bool:
        """True when the regex also checks a token boundary (a Latin letter or digit at either end), so
        containing ``folded`` is not the whole test."""
        return is_token_char(self.folded[0]) or is_token_char(self.folded[-1])

    def matches(self, search_text: str) -> bool:
        """Whether the (normalised) text contains the term: the semantics the SQL layer reproduces."""
        return compiled_regex(self.verify_regex).search(search_text) is not None

    def display(self) -> str:
        text = f'"{self.original}"' if self.is_phrase else self.original
        return f"-{text}" if self.negated else text


@dataclass(frozen=True)
class Clause:
    terms: tuple[Term, ...]  # OR-group; an exclusion clause has exactly one term

    @property
    def negated(self) -> bool:
        return self.terms[0].negated

    def matches(self, search_text: str) -> bool:
        found = any(term.matches(search_text) for term in self.terms)
        return not found if self.negated else found


@dataclass(frozen=True)
class Query:
    original: str
    clauses: tuple[Clause, ...] = field(default=())
    truncated: bool = False
    common_strings_applied: bool = False  # its terms were checked against the common strings (common_strings.prove)
    terms_resolved: bool = False  # its excluded and OR-ed terms that read texts were read once (querysets.resolved)
    # (term as typed, the other forms of its alias group searched too) for every unquoted term that is an alias
    expanded: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def is_empty(self) -> bool:
        """No positive term: nothing to search for (see matches_nothing for what to show)."""
        return not any(not clause.negated for clause in self.clauses)

    @property
    def matches_nothing(self) -> bool:
        """Only exclusions were given: the result is empty. (A blank query is_empty but not this.)"""
        return self.is_empty and bool(self.clauses)

    @property
    def reads_text(self) -> bool:
        """True when some term is confirmed by reading search_text (its lexemes do not prove the match)."""
        return any(term.reads_text for clause in self.clauses for term in clause.terms)

    @property
    def positive_terms(self) -> list[Term]:
        return [t for c in self.clauses if not c.negated for t in c.terms]

    @property
    def negated_terms(self) -> list[Term]:
        return [t for c in self.clauses if c.negated for t in c.terms]

    @property
    def also_searched(self) -> list[str]:
        """The alias forms searched besides what was typed, each once, in order: for the listing's line."""
        typed = {term.folded for clause in self.clauses for term in clause.terms if not term.alias_of}
        typed |= {normalise_for_search(original.lstrip("-")) for original, _ in self.expanded}
        forms = (form for _, added in self.expanded for form in added)
        return list(dict.fromkeys(form for form in forms if normalise_for_search(form) not in typed))

    def tier_units(self) -> list[tuple[Term, ...]]:
        """The positive terms as the ranking tier counts them: the forms of one alias group together, as one."""
        units: dict[tuple, list[Term]] = {}
        for number, clause in enumerate(self.clauses):
            if not clause.negated:
                for term in clause.terms:
                    units.setdefault((number, term.alias_of) if term.alias_of else (number, id(term)), []).append(term)
        return [tuple(unit) for unit in units.values()]

    def matches(self, search_text: str) -> bool:
        """Python reference evaluation on one search_text (True for a blank query)."""
        if self.matches_nothing:
            return False
        return all(clause.matches(search_text) for clause in self.clauses)

    def rank_words(self) -> list[str]:
        """jieba words of the positive terms, for the ranking tsquery (computed on demand). A form an alias added
        counts only as a whole word (數碼港 adds cyberport, not the 香港 and 有限公司 of 香港數碼港管理有限公司):
        the words inside a long name would rank every reply that says 香港."""
        words = (w for term in self.positive_terms for w in rank_words(term.folded)
                 if term.folded == (term.alias_of or term.folded) or w == term.folded)
        return list(dict.fromkeys(words))

    def rank_tsquery(self) -> str:
        return tsquery_literal(self.rank_words(), "|")

    def display(self) -> str:
        """The query as understood, e.g. '數碼港 (AI OR 人工智能) -Web3'."""
        parts = []
        for clause in self.clauses:
            shown = " OR ".join(term.display() for term in clause.terms)
            parts.append(f"({shown})" if len(clause.terms) > 1 else shown)
        return " ".join(parts)


def parse_query(q: object, aliases: Mapping[str, tuple[str, ...]] | None = None) -> Query:
    """Parse leniently: any input gives a Query, never an exception. ``aliases`` (folded form -> every form of its
    group, search/aliases.py) expands each unquoted term that is a form: a positive one into an OR of every form,
    an excluded one into the exclusion of each."""
    raw = _as_text(q)
    truncated = len(raw) > MAX_QUERY_CHARS
    raw = raw[:MAX_QUERY_CHARS]
    cleaned, raw_index = _clean(raw)
    clauses, capped, expanded = _build_clauses(_lex(cleaned, raw, raw_index), aliases or {})
    return Query(original=_displayable(raw), clauses=clauses, truncated=truncated or capped, expanded=expanded)


def verify_regex_for(normalised_term: str) -> str:
    """Exact containment of the term, escaped, with a token boundary at a Latin/digit edge:
    'web3生态圈' -> '(?<![a-z0-9])web3生态圈'. Uses only syntax Python and PostgreSQL AREs share."""
    body = "".join("\\" + c if c in ASCII_PUNCTUATION else c for c in normalised_term)
    if normalised_term and is_token_char(normalised_term[0]):
        body = f"(?<![{TOKEN_CLASS}])" + body
    if normalised_term and is_token_char(normalised_term[-1]):
        body += f"(?![{TOKEN_CLASS}])"
    return body


def make_term(text: str, *, negated: bool = False, is_phrase: bool = False) -> Term | None:
    """A term for ``text``, or None when it has no lexeme (nothing a text could be found by)."""
    folded = normalise_for_search(text)
    if not is_phrase:
        folded = _trim_punctuation(folded)
    lexemes = term_lexemes(folded)
    if not lexemes:
        return None
    needs_verify = not lexemes_prove_match(folded)
    if len(lexemes) > MAX_TERM_LEXEMES:
        step = (len(lexemes) - 1) / (MAX_TERM_LEXEMES - 1)
        lexemes = [lexemes[round(i * step)] for i in range(MAX_TERM_LEXEMES)]
        needs_verify = True
    return Term(text.strip(), folded, tuple(lexemes), needs_verify, verify_regex_for(folded), negated, is_phrase)


def _trim_punctuation(folded: str) -> str:
    """'(AI),' -> 'ai': edge punctuation of an unquoted term is how people type, not what they seek."""
    start, end = 0, len(folded)
    while start < end and unicodedata.category(folded[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(folded[end - 1])[0] in "PS":
        end -= 1
    return folded[start:end]


def _as_text(q: object) -> str:
    if q is None:
        return ""
    if isinstance(q, bytes):
        return q.decode("utf-8", "replace")
    return q if isinstance(q, str) else str(q)


def _displayable(text: str) -> str:
    """``text`` without invisible characters or lone surrogates, control characters as spaces."""
    kept = (" " if unicodedata.category(c) == "Cc" else c for c in text if not is_invisible(c))
    return "".join(kept)


def _clean(raw: str) -> tuple[str, list[int]]:
    """Half-width forms, no invisible characters, control characters as spaces, digit groups joined;
    with the index in ``raw`` of every kept character."""
    chars: list[str] = []
    raw_index: list[int] = []
    for index, char in enumerate(raw):
        code = ord(char)
        if is_invisible(char):
            continue
        if 0xFF01 <= code <= 0xFF5E:
            char = chr(code - 0xFEE0)
        elif code == 0x3000 or unicodedata.category(char) == "Cc":
            char = " "
        chars.append(char)
        raw_index.append(index)
    text = "".join(chars)
    drop = {m.start() + i for m in _QUERY_DIGIT_GROUP.finditer(text) for i, c in enumerate(m.group()) if c == " "}
    if drop:
        kept = [i for i in range(len(text)) if i not in drop]
        text = "".join(text[i] for i in kept)
        raw_index = [raw_index[i] for i in kept]
    return text, raw_index


def _lex(text: str, raw: str, raw_index: list[int]):
    """Yield _OR or (original text, negated, is_phrase) items."""
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        if text[i] == "-":
            while i < n and text[i] == "-":
                i += 1
            if i == n or text[i].isspace():
                continue  # a lone "-"
            negated = True
        is_phrase = text[i] in QUOTES
        start = i + 1 if is_phrase else i
        end = start
        while end < n and text[end] not in QUOTES and (is_phrase or not text[end].isspace()):
            end += 1
        i = end + 1 if is_phrase else end
        word = text[start:end]
        if not is_phrase and not negated and word in ("OR", "AND"):
            if word == "OR":
                yield _OR
            continue
        original = raw[raw_index[start] : raw_index[end - 1] + 1] if word else ""
        yield _displayable(original), negated, is_phrase


def _build_clauses(items, aliases: Mapping[str, tuple[str, ...]]):
    """Group terms into clauses (OR joins two positive neighbours); returns (clauses, capped, expanded)."""
    groups: list[list[Term]] = []
    expanded: dict[str, tuple[str, ...]] = {}
    pending_or = capped = False
    count = 0
    for item in items:
        if item is _OR:
            pending_or = True
            continue
        term = make_term(item[0], negated=item[1], is_phrase=item[2])
        if term is None:
            continue
        if count == MAX_TERMS:
            capped = True
            break
        count += 1
        forms = _forms_of(term, aliases, expanded)
        if term.negated:
            groups.extend([form] for form in forms if not any(len(g) == 1 and _same(form, g[0]) for g in groups))
        elif pending_or and groups and not groups[-1][0].negated:
            groups[-1].extend(form for form in forms if not any(_same(form, other) for other in groups[-1]))
        elif not any(_same_terms(forms, group) for group in groups):
            groups.append(forms)
        pending_or = False
    return tuple(Clause(tuple(group)) for group in groups), capped, tuple(expanded.items())


def _forms_of(term: Term, aliases: Mapping[str, tuple[str, ...]], expanded: dict) -> list[Term]:
    """``term`` and, when it is an unquoted form of an alias group, a term for each other form (recorded in
    ``expanded``)."""
    forms = aliases.get(term.folded, ()) if not term.is_phrase else ()
    others = [other for form in forms
              if (other := make_term(form, negated=term.negated)) is not None and other.folded != term.folded]
    if not others:
        return [term]
    expanded.setdefault(term.display(), tuple(other.original for other in others))
    return [replace(one, alias_of=term.folded) for one in _without_redundant([term, *others])]


def _without_redundant(forms: list[Term]) -> list[Term]:
    """The forms minus those containing another one that has no token edge: a text with 香港數碼港管理有限公司 has
    數碼港, so searching the longer form adds no reply and would cost reading texts."""
    inner = [form.folded for form in forms if not form.has_token_edge]
    return [form for form in forms if not any(other != form.folded and other in form.folded for other in inner)]


def _same_terms(terms: list[Term], group: list[Term]) -> bool:
    return len(terms) == len(group) and all(any(_same(a, b) for b in group) for a in terms)


def _same(a: Term, b: Term) -> bool:
    return a.folded == b.folded and a.negated == b.negated


@lru_cache(maxsize=512)
def compiled_regex(regex: str) -> re.Pattern:
    return re.compile(regex)
