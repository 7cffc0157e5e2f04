"""Character classes shared by folding, lexemes and query parsing.

One definition of "CJK character" and "token character" keeps the index side and the query side in step:
if they disagreed, a term could ask for a lexeme that the text was never given.
"""

from __future__ import annotations

import re
import string
import unicodedata

# What counts as a CJK character (an ideograph that takes part in unigrams and bigrams):
#   U+3007          〇 ideographic number zero (二〇二三)
#   U+2E80-U+2FDF   CJK radicals supplement and Kangxi radicals (PDF extraction sometimes emits these)
#   U+3400-U+4DBF   CJK Unified Ideographs Extension A
#   U+4E00-U+9FFF   CJK Unified Ideographs
#   U+F900-U+FAFF   CJK Compatibility Ideographs (most are folded to their unified form first)
#   U+20000-U+3FFFF planes 2 and 3: Extensions B to I and the Compatibility Ideographs Supplement
# CJK punctuation (，。「」、), kana, hangul and bopomofo are NOT CJK characters here.
CJK_CLASS = "\u3007\u2e80-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
CJK_RUN = re.compile(f"[{CJK_CLASS}]+")
_CJK_CHAR = re.compile(f"[{CJK_CLASS}]")

# Latin letters and digits after folding: the only characters that form whole-word tokens.
TOKEN_CLASS = "a-z0-9"
TOKEN = re.compile(f"[{TOKEN_CLASS}]+")

# Every printable ASCII character that is neither a letter, a digit nor a space. A backslash before any of
# these means the character itself in both Python `re` and PostgreSQL AREs (a backslash before a letter or a
# digit would be an escape), so escaping all of them is safe in both dialects.
ASCII_PUNCTUATION = frozenset(string.punctuation)


def is_cjk(char: str) -> bool:
    """True for one CJK ideograph as defined above."""
    return bool(_CJK_CHAR.fullmatch(char))


def is_token_char(char: str) -> bool:
    """True for a folded Latin letter or ASCII digit."""
    return len(char) == 1 and ("a" <= char <= "z" or "0" <= char <= "9")


def is_invisible(char: str) -> bool:
    """Zero-width and format characters (U+200B, U+FEFF, soft hyphen), variation selectors and lone
    surrogates: never part of a match, and a lone surrogate cannot even be sent to PostgreSQL."""
    if unicodedata.category(char) in ("Cf", "Cs"):
        return True
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
