"""Where a printed line was cut: joining rules shared by header labels and row labels.

A header cell or a row label too wide for its column is printed over several lines. Two lines belong to one
label when the cut could not end a label: an unclosed bracket, a continuation that opens with a bracket or is
one or two characters (``開支``, ``務``), a particle no label ends with (``的`` ``及``), or a word that runs
across the cut (``市`` + ``場推廣``: jieba finds 市場).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import reduce

from search.fold import fold
from search.segment import words

_OPENERS = "(（[［「"
_CLOSERS = ")）]］」"
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_NO_LABEL_STARTS = ("的", "及", "和", "與", "之", "、", "或", "／", "/")
MEASURES = "數目|人數|人次|宗數|次數|金額|總額|比率|百分比"  # the words a measure's label ends with
_LABEL_END = re.compile(rf"(?:{MEASURES}|年度|[)）])$")
_NO_LABEL_ENDS = ("的", "及", "和", "與", "之", "、", "或", "／", "/", "-", "－")


def unclosed(text: str) -> int:
    return sum(text.count(c) for c in _OPENERS) - sum(text.count(c) for c in _CLOSERS)


def join(first: str, second: str) -> str:
    """Two pieces of one cut label: no space where either side is Chinese or a bracket."""
    if not first or not second:
        return first or second
    if _CJK.match(first[-1]) or _CJK.match(second[0]) or first[-1] in _OPENERS or second[0] in _CLOSERS + _OPENERS:
        return first + second
    return f"{first} {second}"


def joined(pieces: Iterable[str]) -> str:
    """Pieces of text read as one (a label cut over lines, a waiting line's cells), each joined as ``join`` does:
    ``2023年 | 2月)`` is ``2023年2月)``."""
    return reduce(join, pieces, "")


def continues(first: str, second: str) -> bool:
    """Whether ``second``, printed on the line below, is the rest of ``first``."""
    if not first or not second:
        return False
    if unclosed(first) > 0 or second[0] in _CLOSERS or second.startswith(("(", "（")):
        return True
    if first.endswith(_NO_LABEL_ENDS) or second.startswith(_NO_LABEL_STARTS):
        return True
    return len(second) <= 2 and bool(_CJK.match(second[0])) or word_across(first, second)


def ends_label(text: str) -> bool:
    """The text ends as labels end: a measure (數目, 比率, 金額…), 年度, or a bracket closed (a unit, a note's mark)."""
    return bool(_LABEL_END.search(tail(text))) and unclosed(text) <= 0


def tail(text: str, size: int = 12) -> str:
    """The end of a text in its usual code points: the extraction sometimes gives compatibility ideographs
    (U+F98E for 年), which no pattern written with the usual ones matches."""
    return unicodedata.normalize("NFKC", text[-size:])


def continues_complete(second: str) -> bool:
    """Whether ``second`` goes on a label that ends as labels end: only a bracket (a unit), a note's mark
    (``註1``, ``*``) or a particle can (``2020年個案數目`` + ``及佔總個案數目``), not a short word (``數目`` + ``平均``)."""
    return (second[:1] in _CLOSERS or second.startswith(("(", "（", "註", "*", "＊", "^", "#", "△"))
            or second.startswith(_NO_LABEL_STARTS))


def word_across(first: str, second: str) -> bool:
    """A dictionary word runs across the cut between the two pieces (checked on folded text, 4 characters
    either side)."""
    left, right = fold(first[-4:]), fold(second[:4])
    if not (_CJK.match(left[-1:] or " ") and _CJK.match(right[:1] or " ")):
        return False
    position = 0
    for word in words(left + right):
        if position < len(left) < position + len(word):
            return True
        position += len(word)
    return False


def printed(lines: list[str]) -> str:
    """The lines' characters without the spaces and gaps (``|``) the page's layout put among them."""
    return re.sub(r"[\s|]", "", "".join(lines))


def printed_again(lines: list[str], index: int, header: list[str]) -> int:
    """How many lines from ``index`` print ``header`` again (0: none). A header repeated after a page break
    holds the same characters in the same order, but the page may cut its lines and gaps otherwise."""
    wanted = printed(header)
    seen = ""
    for stop in range(index, len(lines)):
        seen += printed([lines[stop]])
        if seen == wanted:
            return stop + 1 - index
        if not seen or not wanted.startswith(seen):
            return 0
    return 0
