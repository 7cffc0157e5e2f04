"""An annex row's pieces (numbered_atoms.py) shared among the header's columns by their kind, and printed as
cells (the rules: numbered.py, "Columns"). ``assign`` finds the run of pieces each column takes at the least
total cost (``cell_cost``: 0 fits, DOUBT or more breaks a rule); ``learn_edges`` and ``refit`` read again a row
whose text columns were glued together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from replies.tables.numbered_atoms import MONEY, NOT_RATED, SENTENCE, atom, is_department, may_be_department
from replies.tables.words import unclosed, word_across

_PARTICLES = tuple("的及和與之、或約為於在由以並")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_CJK = "\u2027\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_NO_START = "(（#*^元。，、)）"
_MONEY_CELL = re.compile(r"(?:約|逾)?[$＄]?[\d,]+(?:港)?元(?:[(（].*[)）])?")
_COUNT_CELL = re.compile(r"\d[\d,]*[*^#]*(?:[(（].*[)）])?")
_RATING_CELL = re.compile(r"\d(?:\.\d)?")
_DATE_CELL = re.compile(r"\d{4}年\d{1,2}月")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_NAME_MARK = re.compile(r"(?:^|\s)[#^]$")  # the notes' marks after a name: 只備英文版本, 為特定用戶群組使用

EMPTY = {"number": 50.0, "dept": 1.0, "department": 6.0, "name": 30.0, "cost": 1.5, "count": 1.5, "date": 2.0,
         "rating": 1.0, "amount": 50.0, "text": 1.0, "terms": 1.0}  # "department": printed on every row
DOUBT = 5.0  # a cell costing this much breaks a rule
EVEN = 1e-6  # per squared character of a cell: among fits equal by the rules, the most even wins
LATER = 1e-4  # an empty cell costs this much more per column after it: a value across columns is in the first
CUT_WORD = 1.5  # a cell starting on a line that goes on with the line before
MAX_CELL_ATOMS = 14
_MOST_ATOMS = {"number": 1, "amount": 1, "rating": 1, "date": 1, "dept": 1, "department": 1}


# Cells ----------------------------------------------------------------------------------------------------------

def compact(text: str) -> str:
    return "".join(text.split())


def _is_money(text: str) -> bool:
    return bool(_MONEY_CELL.fullmatch(text))


def _is_count(text: str) -> bool:
    return bool(_COUNT_CELL.fullmatch(text))


def _is_rating(text: str) -> bool:
    return text == NOT_RATED or bool(_RATING_CELL.fullmatch(text))


def _is_figure(text: str) -> bool:
    return _is_money(text) or _is_count(text) or _is_rating(text)


def _complete(text: str) -> bool:
    return text.endswith(("。", ")", "）", "元", "」"))


def _unfinished(text: str) -> bool:
    """A sentence cut before its end: a clause begun (，) and not ended, or a particle last (約, 的, 及 …)."""
    return not _complete(text) and (bool(SENTENCE.search(text)) or text.endswith(_PARTICLES))


def _lines(atoms: Sequence[str]) -> int:
    """How many printed pieces the atoms are (pieces cut apart by a rule, not a gap, count as one)."""
    return 1 + sum(1 for piece in atoms[1:] if not getattr(piece, "glued", False))


def _bars_crossed(atoms: Sequence[str]) -> int:
    """How many gaps the PDF showed between Chinese text on one line the cell runs across (two cells)."""
    return sum(1 for left, right in zip(atoms, atoms[1:]) if getattr(right, "after_bar", False)
               and _CJK_CHAR.match(left[-1:]) and _CJK_CHAR.match(right[:1]))


def cell_cost(kind: str, atoms: Sequence[str], left: int = 0) -> float:
    """How badly ``atoms`` fit a column of ``kind`` as one cell (0: well); ``left``: columns after it."""
    if not atoms:
        return EMPTY[kind] + LATER * left
    text = compact("".join(atoms))
    if text[0] in _NO_START:
        return 8.0  # a bracket, a note mark, a unit or a stop goes with what comes before it
    return EVEN * len(text) ** 2 + _KIND_COST.get(kind, _text_cost)(text, atoms)


def _whole(pattern: str):
    compiled = re.compile(pattern)
    return lambda text, atoms: 0.0 if len(atoms) == 1 and compiled.fullmatch(text) else 50.0


def _rating_cost(text: str, atoms) -> float:
    return 0.0 if _is_rating(text) else 8.0


def _date_cost(text: str, atoms) -> float:
    return 0.0 if _DATE_CELL.fullmatch(text) else 8.0


def _count_cost(text: str, atoms) -> float:
    return 0.0 if _is_count(text) else 0.3 if text.startswith(("超過", "不適用", "約")) else 8.0


def _cost_cost(text: str, atoms) -> float:
    """Money, or a Chinese sentence: one cut before its end breaks a rule (``_unfinished``)."""
    if _is_money(text):
        return 0.0
    if _is_figure(text) or not _CHINESE.search(text) or "#" in text or text[0].isdigit():
        return 6.0  # a cost in words is a Chinese sentence; a note mark # follows a name
    ending = 0.3 if _complete(text) else 6.0 if _unfinished(text) else 0.6
    return ending + 0.1 * (_lines(atoms) - 1) + 0.3 * _bars_crossed(atoms) + _unbalanced(text)


def _dept_cost(text: str, atoms) -> float:
    if len(atoms) > 1 or not may_be_department(text):
        return 10.0
    return 0.0 if is_department(text) or getattr(atoms[0], "department", False) else 2.0


def _text_cost(text: str, atoms) -> float:
    """A name or any other text: not a figure, no money in it, not run across a gap into a sentence."""
    if _is_figure(text):
        return 8.0
    crossed = _bars_crossed(atoms)
    if MONEY.search(text) or (crossed and SENTENCE.search(text)):
        return 6.0
    return 0.1 * (_lines(atoms) - 1) + 0.3 * crossed + _unbalanced(text)


def _unbalanced(text: str) -> float:
    """A bracket opened and not closed in the cell (or the reverse): it runs on into the next one."""
    return 2.0 if unclosed(text) else 0.0


def _terms_cost(text: str, atoms) -> float:
    return _text_cost(text, atoms) + (6.0 if SENTENCE.search(text) else 0.0)


def _name_cost(text: str, atoms) -> float:
    """A name is short (each line it runs over costs more than a sentence's), is no sentence (。) and ends at the
    note mark printed after it (``Reading Town 2 #``): a piece after that mark is another cell."""
    marked = any(_NAME_MARK.search(piece) for piece in atoms[:-1])
    return _text_cost(text, atoms) + 0.1 * (_lines(atoms) - 1) + (6.0 if text.endswith("。") or marked else 0.0)


_KIND_COST = {"number": _whole(r"\d{1,3}\."), "amount": _whole(r"\d+(?:\.\d+)?"), "rating": _rating_cost,
              "date": _date_cost, "count": _count_cost, "cost": _cost_cost, "dept": _dept_cost,
              "department": _dept_cost, "name": _name_cost, "terms": _terms_cost}


@dataclass
class Fit:
    runs: list[list[str]]  # each column's atoms
    worst: float  # the cost of the worst cell: DOUBT or more breaks a rule
    total: float


def assign(atoms: Sequence[str], kinds: Sequence[str]) -> Fit:
    """The atoms shared among the columns in order, each taking a run, at the least total cost. A cell that
    starts on a line that goes on with the line before (``_words_continue``) costs CUT_WORD more."""
    count, width = len(atoms), len(kinds)
    cuts = [0.0, *(CUT_WORD if _continues_line(left, right) else 0.0 for left, right in zip(atoms, atoms[1:]))]
    costs: dict[tuple[str, int, int], float] = {}

    def cost(column: int, start: int, end: int) -> float:
        kind = kinds[column]
        if end == start:
            return cell_cost(kind, (), width - 1 - column)
        if not _may_start(atoms[start], column) or end - start > _MOST_ATOMS.get(kind, MAX_CELL_ATOMS):
            return float("inf")
        if (kind, start, end) not in costs:
            costs[kind, start, end] = cell_cost(kind, atoms[start:end]) + cuts[start]
        return costs[kind, start, end]

    best = [[float("inf")] * (count + 1) for _ in range(width + 1)]
    back = [[0] * (count + 1) for _ in range(width + 1)]
    best[0][0] = 0.0
    for column in range(width):
        for end in range(count + 1):
            for start in range(max(0, end - MAX_CELL_ATOMS), end + 1):
                total = best[column][start] + cost(column, start, end)
                if total < best[column + 1][end]:
                    best[column + 1][end], back[column + 1][end] = total, start
    runs: list[list[str]] = []
    end = count
    for column in range(width, 0, -1):
        runs.insert(0, list(atoms[back[column][end] : end]))
        end = back[column][end]
    return Fit(runs, max(cell_cost(kind, run) for kind, run in zip(kinds, runs)), best[width][count])


# Text columns glued together --------------------------------------------------------------------------------------

@dataclass
class Edges:
    """What the rows read without doubt tell about neighbouring text columns."""

    cuts: dict[int, tuple[set[str], set[str]]]  # column: first two characters of its cells, last two before it
    terms: set[int]  # text columns whose cells never hold a sentence (，。): lists of terms


def _may_start(piece: str, column: int) -> bool:
    """A piece cut by learn_edges starts a cell only in a column whose edges it was cut by."""
    columns = getattr(piece, "columns", None)
    return columns is None or column in columns


def _continues_line(left: str, right: str) -> bool:
    if getattr(right, "after_bar", False) or getattr(right, "glued", False):
        return False
    return _words_continue(str(left), str(right))


@lru_cache(maxsize=1 << 14)
def _words_continue(left: str, right: str) -> bool:
    """Chinese text on both sides of a line break, the break inside a word (升 + 級的…: words.word_across),
    after a particle (及, 的 …), or before a piece too short for a cell of its own (拆。)."""
    if not (_CHINESE.match(left[-1:]) and _CHINESE.match(right[:1])) or _is_figure(compact(left)):
        return False
    return left.endswith(_PARTICLES) or len(right) <= 2 or word_across(left, right)


def learn_edges(fits: Sequence[Fit], kinds: Sequence[str]) -> Edges:
    """For each text or cost column after a name or text column: the first two characters of its cells (its
    sentences, for a cost) and the last two of the cells before it, in the rows read without doubt with every
    text column filled; and which text columns hold only terms there."""
    edges = Edges({}, set())
    good = [fit for fit in fits if fit.worst < DOUBT and not _short(fit, kinds)]
    for column in range(1, len(kinds)):
        if kinds[column] not in ("text", "cost") or kinds[column - 1] not in ("name", "text"):
            continue
        pairs = [(compact("".join(fit.runs[column - 1])), compact("".join(fit.runs[column]))) for fit in good
                 if fit.runs[column] and fit.runs[column - 1]]
        pairs = [(left, right) for left, right in pairs if kinds[column] == "text" or not _is_money(right)]
        edges.cuts[column] = ({right[:2] for _, right in pairs}, {left[-2:] for left, _ in pairs})
        if kinds[column] == "text" and pairs and not any(SENTENCE.search(right) for _, right in pairs):
            edges.terms.add(column)
    return edges


def _short(fit: Fit, kinds: Sequence[str]) -> bool:
    """A name or text column left empty."""
    return not all(fit.runs[column] for column, kind in enumerate(kinds) if kind in ("name", "text"))


def refit(atoms: Sequence[str], fit: Fit, kinds: Sequence[str], edges: Edges) -> Fit:
    """A row with an empty name or text column, or a doubtful one, read again with its pieces cut where the
    other rows' cells of two neighbouring columns start or end (a cut may start a cell only in the column that
    taught it), a sentence not allowed in a column of terms; kept when it fits better."""
    if not edges.cuts or (fit.worst < DOUBT and not _short(fit, kinds)):
        return fit
    cut = [piece for item in atoms for piece in _cut_at_edges(item, edges.cuts)]
    if len(cut) == len(atoms):
        return fit
    again = assign(cut, ["terms" if column in edges.terms else kind for column, kind in enumerate(kinds)])
    return again if again.total < fit.total else fit


def _cut_at_edges(item: str, edges) -> list[str]:
    cuts = []
    for position in range(2, len(item) - 1):
        if not (_CHINESE.match(item[position - 1]) and _CHINESE.match(item[position])):
            continue
        columns = frozenset(column for column, (starts, ends) in edges.items()
                            if item[position : position + 2] in starts or item[position - 2 : position] in ends)
        if columns:
            cuts.append((position, columns))
    if not cuts:
        return [item]
    made = [atom(item[: cuts[0][0]], getattr(item, "after_bar", False), getattr(item, "glued", False))]
    for (position, columns), end in zip(cuts, [*(p for p, _ in cuts[1:]), len(item)]):
        piece = atom(item[position:end], glued=True)
        piece.columns = columns
        made.append(piece)
    return made


# Printing -------------------------------------------------------------------------------------------------------

def cell_text(kind: str, atoms: Sequence[str], spaced: bool) -> str:
    text = " ".join(atom.strip() for atom in atoms)
    if spaced:
        text = _unspace(text)
    text = re.sub(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+", "", text)
    if kind == "count":
        text = _grouped(text)
    return text


def _unspace(text: str) -> str:
    """A letter-spaced cell read as printed: no space inside a figure, before a lone letter, between capitals."""
    text = re.sub(r"(?<=[\d,])\s+(?=[\d,])", "", text)
    text = re.sub(r"(?<=[A-Za-z])\s+(?=[A-Za-z](?![A-Za-z]))", "", text)
    return re.sub(r"(?<=[A-Z])\s+(?=[A-Z]+\b)", "", text)


def _grouped(text: str) -> str:
    """A count's leading figure with its digits grouped by thousands and no space before its remark."""
    match = re.match(r"^((?:超過|約)?)(\d[\d ]*\d|\d)(?![\d.,])(.*)$", text)
    if not match:
        return text
    digits = match.group(2).replace(" ", "")
    groups = []
    while len(digits) > 3:
        digits, groups = digits[:-3], [digits[-3:], *groups]
    rest = re.sub(r"\s+(?=[(（*^#])", "", match.group(3))
    return match.group(1) + " ".join([digits, *groups]) + rest
