"""An annex row's printed pieces, cut where the extraction glued cells together (the rules: numbered.py,
"Pieces"). Each atom remembers whether a gap stood before it on its line (``after_bar``) and whether a rule,
not a gap, cut it off the piece before it (``glued``): a cell may run across both, at different costs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from replies.tables.cells import BAR

ROW_NUMBER = re.compile(r"^(\d{1,3}\.)(?!\d)\s*(.*)$")
MONEY = re.compile(r"(?<![\d,])\d[\d, ]*元")
NOT_RATED = "未有評分"
SENTENCE = re.compile(r"[，。]")
_FIGURE_TOKEN = re.compile(r"^\d+(?:\.\d+)?[*^#]?$")
_TRAILING_COUNT = re.compile(r"^(.*[\u4e00-\u9fff])(\d{1,3}(?: \d{3})+[*^#]?|\d{4,}[*^#]?)$")
_DEPT_END = re.compile(r"^[？?]?[\u4e00-\u9fff／及]{1,11}?(?:辦公室|辦事處|署|局|處|司|台|關)")
_DEPARTMENT = re.compile(r"^[\u4e00-\u9fff／及]{1,14}(?:辦公室|辦事處|署|局|處|司|台|關)$")
_WHOLE_DEPARTMENT = re.compile(r"^[\u4e00-\u9fff／及]{1,14}(?:辦公室|辦事處|署|局|處|司)$")  # not 平台, 海關…
_NOT_A_NAME = re.compile(r"[\d，。：:「」()（）]")
MAX_DEPARTMENT = 16


@dataclass
class Context:
    """What the annex as a whole tells about one row's pieces."""

    segments: list[str] = field(default_factory=list)  # every printed piece of the annex
    departments: set[str] = field(default_factory=set)  # departments printed on their own
    spaced: bool = False  # the table is printed letter-spaced


def is_department(text: str) -> bool:
    """Text that ends like a department's name."""
    return bool(_DEPARTMENT.match(text))


def may_be_department(text: str) -> bool:
    """Text short enough, and without figures, stops or brackets, to be a department's name."""
    return bool(text) and len(text) <= MAX_DEPARTMENT and not _NOT_A_NAME.search(text)


class Atom(str):
    """A printed piece of a row. ``after_bar``: the PDF showed a gap before it on its line; ``glued``: a rule cut
    it off the piece before it, with no gap in print."""

    after_bar = False
    glued = False
    department = False  # read as the row's department (department_of)
    columns: frozenset | None = None  # cut by learn_edges: the columns it may start


def atom(text: str, after_bar: bool = False, glued: bool = False, department: bool = False) -> Atom:
    made = Atom(text)
    made.after_bar, made.glued, made.department = after_bar, glued, department
    return made


def line_atoms(line: str) -> list[Atom]:
    """A printed line's atoms: its pieces between gaps, each cut by ``split_segment``."""
    found = []
    for number, segment in enumerate(line.split(BAR)):
        if segment.strip():
            pieces = split_segment(segment.strip())
            found += [atom(piece, after_bar=number > 0 and i == 0, glued=i > 0) for i, piece in enumerate(pieces)]
    return found


def split_segment(segment: str) -> list[str]:
    """A printed piece cut where figures were glued to it."""
    pieces = [segment]
    for cut in (_cut_money, _cut_not_rated, _cut_figures, _cut_trailing_count):
        pieces = [part for piece in pieces for part in cut(piece) if part.strip()]
    return [piece.strip() for piece in pieces]


def _cut_money(text: str) -> list[str]:
    for match in MONEY.finditer(text):
        after = text[match.end() : match.end() + 1]
        if after and after in "。，、)）的":
            continue
        before, after_text = text[: match.start()], text[match.end():]
        return [*([before] if before.strip() else []), match.group(), *_cut_money(after_text)]
    return [text]


def _cut_not_rated(text: str) -> list[str]:
    parts = text.split(NOT_RATED)
    out = []
    for index, part in enumerate(parts):
        out += [part] if part.strip() else []
        out += [NOT_RATED] if index < len(parts) - 1 else []
    return out


def _cut_figures(text: str) -> list[str]:
    tokens = text.split()
    return tokens if len(tokens) > 1 and all(_FIGURE_TOKEN.match(token) for token in tokens) else [text]


def _cut_trailing_count(text: str) -> list[str]:
    match = _TRAILING_COUNT.match(text)
    return [match.group(1), match.group(2)] if match else [text]


def department_of(text: str, context: Context, above: str) -> str:
    """The department printed at the start of ``text`` (see the module's docstring), or ""."""
    known = [name for name in context.departments if text.startswith(name)]
    if known:
        return max(known, key=len)
    if _WHOLE_DEPARTMENT.match(text):
        return text  # 發展局古物古蹟辦事處
    match = _DEPT_END.match(text)
    if not match or (above and match.group() != above and match.group().endswith(above)):
        return ""
    return match.group()


def glued_sentence_at(text: str, context: Context) -> int:
    """Where a sentence glued after a name starts in ``text`` (0: none), by the other pieces that end alike."""
    first_mark = SENTENCE.search(text)
    if not first_mark:
        return 0
    best, best_support = 0, 0
    for start in range(1, first_mark.start()):
        tail = text[start:]
        support = sum(1 for other in context.segments if other.endswith(tail)
                      and (len(other) == len(tail) or other[-len(tail) - 1] != text[start - 1]))
        if support > best_support:
            best, best_support = start, support
    return best
