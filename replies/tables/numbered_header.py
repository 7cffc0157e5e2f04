"""The header of an annex table: its printed lines made into one label per column, and each label's kind
(the rules: numbered.py, "Header"). An annex header is printed in narrow boxes, so the extraction cuts labels
anywhere and glues neighbours together (``編號局／部門名稱開發`` + ``成本``, ``每年維護費用截至 | 2023`` + ``年1月 |
31日的總下載次數``).
"""

from __future__ import annotations

import re

from replies.tables.cells import BAR
from replies.tables.words import join

ENDINGS = ("編號", "部門", "名稱", "費用", "成本", "開支", "金額", "次數", "日期", "評分", "所在地")
ALONE = ("編號", "部門", "名稱")  # ending words that are whole labels by themselves
KINDS = {"編號": "number", "部門": "dept", "名稱": "name", "費用": "cost", "成本": "cost", "開支": "cost",
         "金額": "amount", "次數": "count", "日期": "date", "評分": "rating"}
_OPEN_ENDS = ("截至", "的", "及", "和", "與", "之", "、", "或", "／", "於")
_BRACKETS = re.compile(r"(?:\s*[(（][^)）]*[)）])+$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z ]*$")
_DATE_PIECE = re.compile(r"^(?:\d|[年月日]\d|[年月日]的)")


def kind(label: str) -> str:
    bare = _BRACKETS.sub("", label)
    return next((KINDS[word] for word in KINDS if bare.endswith(word)), "text")


def _bare_ending(text: str) -> bool:
    """An ending word printed apart from the rest of its label (成本 under 開發)."""
    bare = _BRACKETS.sub("", text)
    return bare in ENDINGS and bare not in ALONE


def _complete(label: str) -> bool:
    return _BRACKETS.sub("", label).endswith(ENDINGS)


def _cut_inside(fragment: str) -> list[str]:
    """A fragment cut after each ending word followed by more than a bare ending word or a bracket."""
    pieces = []
    start = 0
    for match in re.finditer("|".join(ENDINGS), fragment):
        rest = fragment[match.end():]
        if rest and not rest.startswith(("(", "（")) and not _bare_ending(rest) and match.end() > start:
            pieces.append(fragment[start : match.end()])
            start = match.end()
    return [*pieces, fragment[start:]] if fragment[start:] else pieces


def _continues(label: str, piece: str) -> bool:
    """Whether ``piece``, after a gap, goes on with ``label``."""
    if label.endswith(_OPEN_ENDS) or label[-1:].isdigit():
        return True
    if piece.startswith(("(", "（")) or _bare_ending(piece):
        return True
    return bool(_DATE_PIECE.match(piece)) and not _complete(label)


def read_labels(lines: list[str]) -> tuple[list[str], list[str]]:
    """(labels, Latin sub-label words) of the printed header lines."""
    fragments = [segment.strip() for line in lines for segment in line.split(BAR) if segment.strip()]
    latin_from = len(fragments)
    while latin_from > 0 and _LATIN.match(fragments[latin_from - 1]):
        latin_from -= 1
    words = [word for fragment in fragments[latin_from:] for word in fragment.split()]
    labels: list[str] = []
    for fragment in fragments[:latin_from]:
        for number, piece in enumerate(_cut_inside(fragment)):
            if labels and number == 0 and _continues(labels[-1], piece):
                labels[-1] = join(labels[-1], piece)
            else:
                labels.append(piece)
    return labels, words


def with_subs(labels: list[str], words: list[str], columns: int) -> list[str] | None:
    """The labels with the Latin words shared among ``columns`` columns under one of them (None: they do not
    divide evenly)."""
    if not words:
        return labels
    if columns < 2 or len(words) % columns:
        return None
    step = len(words) // columns
    names = [" ".join(words[i : i + step]) for i in range(0, len(words), step)]
    carrier = next((i for i, label in enumerate(labels) if kind(label) == "rating"), len(labels) - 1)
    return [*labels[:carrier], *(f"{labels[carrier]}（{name}）" for name in names), *labels[carrier + 1:]]
