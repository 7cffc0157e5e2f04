"""Where each character of a stored normalised text came from in the original, without normalising it again.

A page of results already holds every reply's normalised question and reply (search_text). Marking a hit needs
``offsets`` of ``normalise_with_offsets``, and computing them for a long reply (folding and looking at every
character) was most of a search page's Python time. Here the same map is rebuilt from the original alone,
looking only at its runs of whitespace, control and invisible characters and at its grouped numbers, with
regular expressions: everything between them is copied one to one. The map is kept as segments, not one
integer per character.

The rules are those of ``normalise._rebuild``, read on the original: folding is per character and keeps the
length, so a character is special (or CJK) when its fold is; which characters fold to a digit, a separator or
something special is known (fold.py). The stored text is the judge: a map whose length differs from it, or whose
characters at a hit's edges do not fold to the stored ones, is not used (``offsets_for`` returns None).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .chars import is_cjk, is_invisible
from .fold import fold
from .normalise import _SEPARATORS, _is_special

# Characters that never fold to a special character (whitespace, control, invisible): printable ASCII but the
# space, CJK punctuation but the ideographic space, CJK ideographs, the full width forms. Every other character
# of a text is looked at, once per process.
_UNREMARKABLE = "\x21-\x7e\u3001-\u303f\u4e00-\u9fff\uff01-\uff5e"
_REMARKABLE = re.compile(f"[^{_UNREMARKABLE}]")
# normalise.DIGIT_GROUP read on the original: what folds to a digit, and to a letter, digit or point (which no
# number may follow). The full-width comma and the ideographic space fold to separators but do not count as
# ones (normalise._NOT_A_SEPARATOR): on the original they simply are not in the class.
_DIGIT = "0-9\uff10-\uff19"
_TOKEN_OR_POINT = "a-zA-Z0-9.\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0e\u212a"  # U+212A Kelvin folds to k
# The lookbehind is written after the first digit (the two characters ending there), so the pattern starts with
# a character class, which the regex engine scans for quickly; at the start of the text it cannot match, as the
# lookbehind before the digit could not either.
_GROUPED_NUMBER = re.compile(
    rf"[{_DIGIT}](?<![{_TOKEN_OR_POINT}][{_DIGIT}])[{_DIGIT}]{{0,2}}(?:[{_SEPARATORS}][{_DIGIT}]{{3}})+(?![{_DIGIT}])"
)
_DIGIT_CHAR = re.compile(f"[{_DIGIT}]")
_IDEOGRAPH_PAIR = re.compile("[\u4e00-\u9fff]{2}")
_CUT_MARGIN = 64  # characters past the estimated place (5 % further too): the rate is an average


class OffsetMap:
    """``offsets[i]``: the index in the original of character ``i`` of the normalised text, from segments
    (normalised start, original start) copied one to one."""

    def __init__(self, starts: list[int], origins: list[int], length: int):
        self._starts = starts
        self._origins = origins
        self.length = length  # characters of the normalised text mapped

    def __getitem__(self, index: int) -> int:
        segment = bisect.bisect_right(self._starts, index) - 1
        return self._origins[segment] + index - self._starts[segment]


def offsets_for(original: str, normalised: str, *, through: int | None = None) -> OffsetMap | None:
    """The offset map of ``original`` whose normalised form is ``normalised`` (as stored), or None when the
    map does not fit it (a stale search_text).

    ``through``: only the characters of the normalised text up to this index are asked about (a snippet's last
    hit). The map is then built over a prefix of the original that ends between two CJK ideographs past that
    point, where no rule of normalisation reaches across (no whitespace run, no digit group): the prefix
    normalises to the start of the whole text. Why: a reply of 40,000 characters cost milliseconds to map whole
    for a snippet whose hit is near its start."""
    if through is not None and (cut := _cut_after(original, normalised, through)) is not None:
        prefix = _offset_map(original[:cut])
        if through < prefix.length <= len(normalised) and agrees(original, normalised, prefix, prefix.length - 1):
            return prefix
    offsets = _offset_map(original)
    return offsets if offsets.length == len(normalised) else None


def _cut_after(original: str, normalised: str, through: int) -> int | None:
    """An index of ``original`` between two CJK ideographs, likely past normalised character ``through``
    (normalisation removes characters at the rate the two lengths show), or None."""
    rate = len(original) / max(len(normalised), 1)
    match = _IDEOGRAPH_PAIR.search(original, int((through + 1) * rate * 1.05) + _CUT_MARGIN)
    if match is None or not (_folds_to_cjk(match.group()[0]) and _folds_to_cjk(match.group()[1])):
        return None
    return match.start() + 1


def _offset_map(original: str) -> OffsetMap:
    starts, origins = [], []
    length, start, last, pending = 0, 0, -1, -1  # last: original index of the last character copied
    for run_start, run_end, space in [*_removed_runs(original), (len(original), len(original), -1)]:
        if start < run_start:  # ordinary characters original[start:run_start], after one space when it stays
            if pending >= 0 and last >= 0 and not _folds_to_cjk(original[last]) \
                    and not _folds_to_cjk(original[start]):
                starts.append(length)
                origins.append(pending)
                length += 1
            starts.append(length)
            origins.append(start)
            length += run_start - start
            last = run_start - 1
        pending, start = space, run_end
    return OffsetMap(starts, origins, length)


def agrees(original: str, normalised: str, offsets: OffsetMap, index: int) -> bool:
    """Whether character ``index`` of the stored text is what the map says it came from."""
    char = original[offsets[index]]
    return normalised[index] == " " if _is_special(fold(char)) else normalised[index] == fold(char)


def _removed_runs(original: str) -> list[tuple[int, int, int]]:
    """(start, end, space) of each run of characters normalisation removes, in order: runs of special
    characters and single separators of grouped numbers (always between two digits, so a run of their own).
    ``space`` is the index of the character that may stay as one space (the first that is not invisible), or
    -1."""
    dropped = _number_separators(original)
    specials = {char for char in set(_REMARKABLE.findall(original)) if _folds_to_special(char)}
    runs = [(index, index + 1, -1) for index in dropped]
    if specials:
        careful = any(_folds_to_invisible(char) for char in specials)
        for match in _runs_of(frozenset(specials)).finditer(original):
            start, end = match.span()
            if start in dropped:  # a space between digit groups: removed, never a space
                continue
            space = _first_space(original, start, end) if careful else start
            runs.append((start, end, space))
    return sorted(runs)


def _first_space(original: str, start: int, end: int) -> int:
    return next((i for i in range(start, end) if not _folds_to_invisible(original[i])), -1)


def _number_separators(original: str) -> set[int]:
    """Indexes of the separators normalisation removes from grouped numbers (normalise._group_separators)."""
    return {
        match.start() + index
        for match in _GROUPED_NUMBER.finditer(original)
        for index, char in enumerate(match.group())
        if not _DIGIT_CHAR.match(char)
    }


@lru_cache(maxsize=256)
def _runs_of(chars: frozenset[str]) -> re.Pattern:
    return re.compile("[" + "".join(sorted(re.escape(char) for char in chars)) + "]+")


@lru_cache(maxsize=8192)
def _folds_to_special(char: str) -> bool:
    return _is_special(fold(char))


@lru_cache(maxsize=8192)
def _folds_to_invisible(char: str) -> bool:
    return is_invisible(fold(char))


@lru_cache(maxsize=8192)
def _folds_to_cjk(char: str) -> bool:
    return is_cjk(fold(char))
