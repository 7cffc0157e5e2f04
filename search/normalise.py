"""Normalise folded text for exact matching, keeping a map back to the original characters.

Texts and query terms go through the same function, so "contains" means the same thing on both sides:

1. fold (OpenCC hk2s per character, half width, lower case);
2. drop invisible characters: format characters such as U+200B, variation selectors, lone surrogates;
3. join digit groups: ``1 300``, ``1,300`` -> ``1300`` (see ``DIGIT_GROUP``);
4. remove whitespace next to a CJK character (an extraction artefact: 數 碼港 is 數碼港), drop leading and
   trailing whitespace, and collapse every other whitespace run (control characters included) to one space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from .chars import is_cjk, is_invisible
from .fold import fold

# A thousands separator: one space, comma, no-break space or thin space between digit groups. The number must
# start with a group of 1-3 digits that does not follow a letter, digit or decimal point, and every later group
# has exactly three digits not followed by a digit: "1 300", "1,300", "22 195 545", "$28,808,000" join;
# "2018 171" (a year and a count), "4.5 000", "web3 000" and "100, 200" do not. Only single separator
# characters count, so table columns separated by tabs or several spaces stay apart; the full-width comma
# and the ideographic space are Chinese punctuation, not separators, even though they fold to "," and " ".
_SEPARATORS = " ,\u00a0\u2009\u202f"
DIGIT_GROUP = re.compile(rf"(?<![a-z0-9.])[0-9]{{1,3}}(?:[{_SEPARATORS}][0-9]{{3}})+(?![0-9])")
_NOT_A_SEPARATOR = {0xFF0C: "\u3001", 0x3000: "\u3001"}  # ，and U+3000 in the original


def normalise_for_search(text: str) -> str:
    """The folded, normalised form of ``text`` that search_text stores and query terms are compared with."""
    if not text:
        return ""
    folded = fold(text)
    dropped = _group_separators(text, folded)
    specials = _special_positions(folded)
    if not dropped and not specials:
        return folded
    return _rebuild(folded, dropped, specials, None)


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise ``text``; ``offsets[i]`` is the index in ``text`` of character ``i`` of the result."""
    if not text:
        return "", []
    folded = fold(text)
    dropped = _group_separators(text, folded)
    specials = _special_positions(folded)
    if not dropped and not specials:
        return folded, list(range(len(folded)))
    offsets: list[int] = []
    return _rebuild(folded, dropped, specials, offsets), offsets


def _rebuild(folded: str, dropped: set[int], specials: list[int], offsets: list[int] | None) -> str:
    """The normalised text, and ``offsets`` filled in when given (the indexer needs none).

    Runs of ordinary characters are copied as slices; only the few special positions (whitespace, control
    and invisible characters, digit-group separators) are looked at one by one."""
    events = sorted(dropped.union(specials)) if dropped else specials  # specials come in order
    pieces: list[str] = []
    last = ""  # the last character written
    pending_space = -1  # index of the first whitespace character of the current run, or -1
    start = 0
    for event in [*events, len(folded)]:
        if start < event:  # ordinary characters folded[start:event]
            if pending_space >= 0 and last and not _is_cjk(last) and not _is_cjk(folded[start]):
                pieces.append(" ")
                if offsets is not None:
                    offsets.append(pending_space)
            pending_space = -1
            pieces.append(folded[start:event])
            if offsets is not None:
                offsets.extend(range(start, event))
            last = folded[event - 1]
        if event < len(folded) and event not in dropped and pending_space < 0 and not _is_invisible(folded[event]):
            pending_space = event  # whitespace or a control character starts (or continues) a run
        start = event + 1
    return "".join(pieces)


# The per-character tests, remembered (a text asks about the same few characters again and again).
_is_cjk = lru_cache(maxsize=8192)(is_cjk)
_is_invisible = lru_cache(maxsize=8192)(is_invisible)


def _special_positions(folded: str) -> list[int]:
    """Positions of whitespace, control and invisible characters, in order. Each distinct character is
    classified once per process (set operations, not a test per character and text)."""
    chars = set(folded)
    unknown = chars - _ORDINARY - _SPECIAL
    for char in unknown:
        (_SPECIAL if _is_special(char) else _ORDINARY).add(char)
    specials = chars & _SPECIAL
    if not specials:
        return []
    return [match.start() for match in _class_of(frozenset(specials)).finditer(folded)]


_ORDINARY: set[str] = set()  # characters known not to be special
_SPECIAL: set[str] = set()  # characters known to be special


def _is_special(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cc" or is_invisible(char)


@lru_cache(maxsize=256)
def _class_of(chars: frozenset[str]) -> re.Pattern:
    return re.compile("[" + "".join(sorted(re.escape(char) for char in chars)) + "]")


@lru_cache(maxsize=64)
def normalised_once(text: str) -> tuple[str, tuple[int, ...]]:
    """``normalise_with_offsets`` remembered for the last texts seen: a snippet reads a field to choose it,
    then again to mark it, and a long reply costs milliseconds each time. The offsets are a tuple: shared."""
    normalised, offsets = normalise_with_offsets(text)
    return normalised, tuple(offsets)


def build_search_text(fields: Iterable[str | None]) -> str:
    """search_text for one reply: each field normalised, joined by a newline that no term can cross."""
    return "\n".join(normalise_for_search(field or "") for field in fields)


def _group_separators(original: str, folded: str) -> set[int]:
    """Indexes of the separators inside digit groups, which normalisation removes."""
    matches = list(DIGIT_GROUP.finditer(folded))
    if any(_NOT_A_SEPARATOR.keys() & set(map(ord, original[m.start() : m.end()])) for m in matches):
        # a full-width comma or ideographic space folded into a separator: read the groups again without it
        view = fold(original.translate(_NOT_A_SEPARATOR))  # fold is per character: only those two differ
        matches = list(DIGIT_GROUP.finditer(view))
    dropped: set[int] = set()
    for match in matches:
        dropped.update(i for i in range(match.start(), match.end()) if not "0" <= folded[i] <= "9")
    return dropped
