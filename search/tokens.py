"""Index tokens: exact-match lexemes, ranking words, and PostgreSQL tsvector/tsquery literals.

match lexemes (no positions, for the GIN candidate filter of ``match_vector``):
  * every CJK character as a unigram and every pair of adjacent CJK characters as a bigram, within CJK runs
    of the normalised text (so 數 碼港 gives 数, 码, 港, 数码, 码港: artefact spaces are already gone);
  * every maximal run of ``[a-z0-9]`` as a token: ``iamsmart.gov.hk`` -> iamsmart, gov, hk;
    ``2023-24`` -> 2023, 24; ``web3`` -> web3; ``1 300`` and ``1,300`` -> 1300 (joined by normalisation);
    tokens longer than ``MAX_TOKEN_CHARS`` are cut to that length on both sides, and then need verification.
  Everything else (punctuation, CJK punctuation, symbols, non-ASCII letters) yields no lexeme; it still has to
  match literally, which the verification regex checks.
rank words (with positions and weights, for ts_rank on ``rank_vector``): jieba words of the folded text.

Indexing computes these for every field of every reply, so the hot paths have fast versions that give the same
strings: the rank words of a jieba block are remembered, and ``rank_vector_literal`` writes the rank vector
without the general per-position bookkeeping of ``tsvector_literal``.
"""

from __future__ import annotations

import operator
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import chain

from .chars import CJK_CLASS, CJK_RUN, TOKEN
from .normalise import normalise_for_search
from .segment import BLOCK_CACHE_SIZE, block_words, split_blocks

MAX_TOKEN_CHARS = 100  # a longer [a-z0-9] run is indexed by its first 100 characters
MAX_LEXEME_BYTES = 2046  # PostgreSQL: "word is too long (2047 bytes, max 2046 bytes)"
MAX_POSITION = 16383  # PostgreSQL clamps larger positions to this
MAX_POSITIONS_PER_LEXEME = 256  # PostgreSQL keeps only the first 256
WEIGHTS = frozenset("ABCD")

_PIECE = re.compile(f"[{CJK_CLASS}]+|{TOKEN.pattern}")
_CJK_CHAR = re.compile(f"[{CJK_CLASS}]")
_LONGEST_SAFE_LEXEME = MAX_LEXEME_BYTES // 4  # characters: no lexeme this short can exceed the byte limit

Positions = Iterable["tuple[int, str] | int"]


def match_lexemes(normalised_text: str) -> set[str]:
    """All match lexemes of a normalised text (see the module docstring)."""
    lexemes: set[str] = set()
    for run in CJK_RUN.findall(normalised_text):
        lexemes.update(run)
        lexemes.update(map(operator.add, run, run[1:]))  # each character with the next: the bigrams, in C
    lexemes.update(token[:MAX_TOKEN_CHARS] for token in TOKEN.findall(normalised_text))
    return lexemes


def term_lexemes(normalised_term: str) -> list[str]:
    """Lexemes every text containing the term must have: bigrams of its CJK runs (a unigram for a lone CJK
    character) and its tokens, in order of appearance, without repeats."""
    found: list[str] = []
    for piece in _PIECE.findall(normalised_term):
        if TOKEN.fullmatch(piece):
            found.append(piece[:MAX_TOKEN_CHARS])
        elif len(piece) == 1:
            found.append(piece)
        else:
            found.extend(piece[i : i + 2] for i in range(len(piece) - 1))
    return list(dict.fromkeys(found))


def lexemes_prove_match(normalised_term: str) -> bool:
    """True when having the term's lexemes already means containing the term: one or two CJK characters,
    or a single whole token."""
    if CJK_RUN.fullmatch(normalised_term):
        return len(normalised_term) <= 2
    return bool(TOKEN.fullmatch(normalised_term)) and len(normalised_term) <= MAX_TOKEN_CHARS


def rank_words(folded_text: str) -> list[str]:
    """jieba words of the text, split into CJK runs and [a-z0-9] tokens; punctuation and spaces are left
    out. The text is normalised first (a no-op for normalised text), so original field text works too."""
    return normalised_rank_words(normalise_for_search(folded_text))


def normalised_rank_words(normalised_text: str) -> list[str]:
    """``rank_words`` of text that is already normalised (the indexer normalises each field only once)."""
    pieces = split_blocks(normalised_text)
    if not _CJK_CHAR.search("\n".join(pieces[0::2])):  # the usual case: words come from blocks only
        return list(chain.from_iterable(map(_block_rank_words, pieces[1::2])))
    words: list[str] = []
    for index, piece in enumerate(pieces):
        # between blocks jieba yields single characters and whitespace: only the CJK characters are words
        words.extend(_block_rank_words(piece) if index % 2 else _CJK_CHAR.findall(piece))
    return words


@lru_cache(maxsize=BLOCK_CACHE_SIZE)
def _block_rank_words(block: str) -> tuple[str, ...]:
    """The rank words of one jieba block, remembered: clauses, names and boilerplate recur across replies."""
    return tuple(piece[:MAX_TOKEN_CHARS] for word in block_words(block) for piece in _PIECE.findall(word))


def rank_positions(
    weighted_texts: Iterable[tuple[str, str]], *, normalised: bool = False
) -> dict[str, list[tuple[int, str]]]:
    """Positions and weights of rank words for (weight, field text) pairs, e.g. [("A", member),
    ("A", question), ("B", head), ("B", programmes), ("B", subhead), ("B", officers), ("D", reply)].
    ``normalised=True`` says the texts are normalised already.

    Give the fields in priority order (A fields first, the reply last): positions past ``MAX_POSITION`` and
    positions past the 256th of a word are the ones dropped, so the lost ones are in the reply's tail.
    """
    words_of = normalised_rank_words if normalised else rank_words
    entries: dict[str, list[tuple[int, str]]] = {}
    position = 0
    for weight, text in weighted_texts:
        for word in words_of(text):
            position = min(position + 1, MAX_POSITION)
            entries.setdefault(word, []).append((position, weight))
    return entries


def rank_vector_literal(weighted_texts: Iterable[tuple[str, str]]) -> str:
    """``tsvector_literal(rank_positions(weighted_texts, normalised=True))``, written directly: positions
    rise, so each word's list is already sorted and distinct, except at ``MAX_POSITION``, where every later
    word is clamped to one position carrying its strongest weight (``clamped``)."""
    weighted_texts = list(weighted_texts)
    entries: defaultdict[str, list[str]] = defaultdict(list)  # word -> its positions as written
    clamped: dict[str, str] = {}  # word -> strongest weight letter at MAX_POSITION
    position = 0
    for weight, text in weighted_texts:
        letter = _weight_letter(weight)
        labels = _position_labels(letter)
        words = normalised_rank_words(text)
        room = max(MAX_POSITION - 1 - position, 0)  # positions left before the clamped one
        for word, label in zip(words[:room], labels[position + 1 : position + 1 + len(words)]):
            entries[word].append(label)
        for word in words[room:]:
            clamped[word] = min(clamped.get(word, "D"), letter)
        position = min(position + len(words), MAX_POSITION)
    for word, letter in clamped.items():
        entries[word].append(_position_labels(letter)[MAX_POSITION])
    if entries and max(map(len, entries)) > _LONGEST_SAFE_LEXEME:  # never seen: the general path drops it
        return tsvector_literal(rank_positions(weighted_texts, normalised=True))
    # rank words are CJK runs and [a-z0-9] tokens: nothing to quote
    return " ".join(f"'{word}':{','.join(entries[word][:MAX_POSITIONS_PER_LEXEME])}" for word in sorted(entries))


def _weight_letter(weight) -> str:
    """A, B, C or D, as the general literal reads a weight (anything else is D, PostgreSQL's default)."""
    letter = weight.upper() if isinstance(weight, str) else "D"
    return letter if letter in WEIGHTS else "D"


@lru_cache(maxsize=len(WEIGHTS))
def _position_labels(letter: str) -> tuple[str, ...]:
    """How positions 0..MAX_POSITION are written with this weight: '7A', '7B', '7C', '7' (D is not written)."""
    mark = "" if letter == "D" else letter
    return tuple(f"{position}{mark}" for position in range(MAX_POSITION + 1))


def tsvector_literal(entries: Mapping[str, Positions] | Iterable[str]) -> str:
    """A PostgreSQL tsvector literal, for ``%s::tsvector``.

    ``entries`` is either lexemes without positions (the match vector: nothing to clamp, so a long text
    never loses a match) or a mapping lexeme -> positions, each an int or (position, weight). Lexemes are
    quoted (a quote or backslash inside is doubled); positions are clamped to 1..16383, deduplicated
    (keeping the strongest weight) and cut to the first 256; empty, over-long (> 2046 UTF-8 bytes) and
    unencodable lexemes are left out, since PostgreSQL would reject the whole literal.
    """
    if isinstance(entries, Mapping):
        items = sorted(entries.items(), key=lambda item: item[0])
    else:
        lexemes = sorted(set(entries))
        if _plain_lexemes(lexemes):
            return "'" + "' '".join(lexemes) + "'" if lexemes else ""
        items = [(lexeme, ()) for lexeme in lexemes]
    parts = []
    for lexeme, positions in items:
        if _acceptable_lexeme(lexeme):
            parts.append(quote_lexeme(lexeme) + _positions_suffix(positions))
    return " ".join(parts)


def tsquery_literal(lexemes: Iterable[str], operator: str = "&") -> str:
    """A tsquery literal joining quoted lexemes with ``&`` or ``|``, for ``%s::tsquery``; "" when empty
    (PostgreSQL reads an empty tsquery as matching nothing, with a NOTICE: better not to send it)."""
    if operator not in ("&", "|"):
        raise ValueError(f"operator must be '&' or '|', not {operator!r}")
    usable = [quote_lexeme(lexeme) for lexeme in dict.fromkeys(lexemes) if _acceptable_lexeme(lexeme)]
    return f" {operator} ".join(usable)


def quote_lexeme(lexeme: str) -> str:
    """Quote one lexeme for a tsvector or tsquery literal."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _plain_lexemes(sorted_lexemes: list[str]) -> bool:
    """True when every lexeme is acceptable and needs no escaping (the match vector's always are), so the
    literal is just the quoted lexemes: checked on the joined text, not lexeme by lexeme."""
    if not sorted_lexemes:
        return True
    if not sorted_lexemes[0] or max(map(len, sorted_lexemes)) > _LONGEST_SAFE_LEXEME:
        return False
    joined = "".join(sorted_lexemes)
    if "'" in joined or "\\" in joined or "\x00" in joined:
        return False
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def _acceptable_lexeme(lexeme: str) -> bool:
    if not lexeme or "\x00" in lexeme:
        return False
    try:
        return len(lexeme.encode("utf-8")) <= MAX_LEXEME_BYTES
    except UnicodeEncodeError:  # a lone surrogate
        return False


def _positions_suffix(positions: Positions) -> str:
    """':1A,2,5B' for the given positions; D is PostgreSQL's default weight and is not written."""
    strongest: dict[int, str] = {}
    for entry in positions:
        position, weight = entry if isinstance(entry, tuple) else (entry, "D")
        position = min(max(int(position), 1), MAX_POSITION)
        weight = weight.upper() if isinstance(weight, str) and weight.upper() in WEIGHTS else "D"
        strongest[position] = min(weight, strongest.get(position, "D"))  # "A" < "D": A is strongest
    kept = sorted(strongest)[:MAX_POSITIONS_PER_LEXEME]
    if not kept:
        return ""
    return ":" + ",".join(f"{p}{strongest[p] if strongest[p] != 'D' else ''}" for p in kept)
