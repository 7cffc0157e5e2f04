"""Fold text for matching: Traditional (Hong Kong) to Simplified, full width to half width, lower case.

The fold is a per-character mapping, computed once per distinct character and cached. Two properties follow
and the rest of the search core relies on them:

* ``len(fold(t)) == len(t)``: an offset in the folded text marks the same character in the original, so hits
  found in folded text can be highlighted in the original;
* ``fold(a + b) == fold(a) + fold(b)``: any fragment of a text folds to exactly the matching fragment of the
  folded text, so whatever a user copies from a reply finds that reply.

OpenCC's phrase conversion is context dependent (回覆 -> 回复 but 覆 alone -> 覆), which would break the second
property, so we convert characters one at a time. The few characters whose phrase conversion matters here
are folded to the phrase target everywhere (``PHRASE_ONLY_FOLDS``).
"""

from __future__ import annotations

import threading
import unicodedata

from .chars import is_cjk

OPENCC_CONFIG = "hk2s"

# Characters OpenCC keeps when alone but converts in common phrases: 答覆/回覆 -> 答复/回复, 憑藉 -> 凭借,
# 瞭解 -> 了解, 甦醒 -> 苏醒, 穿著/接著 -> 穿着/接着. Each source character is the same code point in
# Traditional and Simplified writing, so folding it everywhere to the phrase target only merges two spellings
# of one word (at the cost that the single character 覆 also finds 复).
PHRASE_ONLY_FOLDS = {"覆": "复", "藉": "借", "瞭": "了", "甦": "苏", "著": "着"}

_FULL_WIDTH_OFFSET = 0xFEE0  # U+FF01..U+FF5E -> U+0021..U+007E
_SEPARATOR = "\n"  # joins characters for one batched OpenCC call; no OpenCC phrase spans a newline

_lock = threading.Lock()  # guards the caches and the creation of the converter
_convert_lock = threading.Lock()  # one conversion at a time: the C++ converter is not documented as thread safe
_converter = None
_table: dict[int, str] = {}  # code point -> folded character, only where it changes
_seen: set[str] = set()


def fold(text: str) -> str:
    """Fold ``text`` for matching; the result has exactly as many characters as ``text``."""
    if not text:
        return ""
    missing = set(text) - _seen
    if missing:
        _learn(missing)
    return text.translate(_table)


def _learn(chars: set[str]) -> None:
    """Compute and cache the fold of characters not seen before."""
    candidates = sorted(c for c in chars if _needs_opencc(c))
    converted = dict(zip(candidates, _opencc_each(candidates)))
    folds = {char: _fold_char(char, converted) for char in chars}
    with _lock:
        _table.update((ord(char), folded) for char, folded in folds.items() if folded != char)
        _seen.update(folds)


def _fold_char(char: str, converted: dict[str, str]) -> str:
    """Apply the per-character steps until nothing changes, so that fold(fold(t)) == fold(t)."""
    current = char
    for _ in range(4):
        following = _one_step(current, converted)
        if following == current:
            break
        current = following
    return current


def _one_step(char: str, converted: dict[str, str]) -> str:
    char = _unify_compatibility_ideograph(char)
    char = PHRASE_ONLY_FOLDS.get(char, char)
    if char not in converted and _needs_opencc(char):
        converted[char] = _opencc_each([char])[0]
    char = converted.get(char, char)
    char = _half_width(char)
    lower = char.lower()
    return lower if len(lower) == 1 else char


def _unify_compatibility_ideograph(char: str) -> str:
    """金 (U+F90A) -> 金 (U+91D1), ⾏ (Kangxi radical) -> 行: PDF text contains such look-alikes."""
    code = ord(char)
    if 0xF900 <= code <= 0xFAFF or 0x2F00 <= code <= 0x2FDF or 0x2F800 <= code <= 0x2FA1F:
        unified = unicodedata.normalize("NFKC", char)
        if len(unified) == 1 and is_cjk(unified):
            return unified
    return char


def _half_width(char: str) -> str:
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - _FULL_WIDTH_OFFSET)
    if code == 0x3000:
        return " "
    return char


def _needs_opencc(char: str) -> bool:
    """Only non-ASCII characters can change; surrogates cannot be encoded for the C library."""
    return ord(char) > 0x7F and not 0xD800 <= ord(char) <= 0xDFFF


def _opencc_each(chars: list[str]) -> list[str]:
    """Convert each character on its own; keep it where OpenCC would change the length."""
    if not chars:
        return []
    converter = _converter_instance()
    with _convert_lock:
        results = converter.convert(_SEPARATOR.join(chars)).split(_SEPARATOR)
        if len(results) != len(chars):  # never seen; convert one by one rather than misalign
            results = [converter.convert(c) for c in chars]
    return [new if len(new) == 1 else old for old, new in zip(chars, results)]


def _converter_instance():
    """The OpenCC converter, created once (loading its dictionaries takes a few milliseconds)."""
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC(OPENCC_CONFIG)
    return _converter
