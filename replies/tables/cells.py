"""Cut one printed table line into cells.

The stored text keeps a table row as one line; " | " marks a gap the PDF showed (two or more spaces, or a
split the cleaning made between numbers) and a single space may be a column break or the thousands separator
of a number printed as ``4 743 772``. A line is read as *atoms* (the pieces between spaces and bars) and the
boundaries between them, each of one kind:

* JOIN: the same cell: two words (``Sew Solution``), a number and the bracket that qualifies it
  (``2023 (截至2月底)``);
* OPTIONAL: a thousands group may continue the number before it (``8 440`` is 8,440 or 8 | 440): a group of
  exactly three digits after a group of one to three;
* SPLIT: a new cell: a label and a number (``總計：351.2``), two numbers that cannot be one
  (``2019-20 8``, ``39 | 708`` after ``8 708``, ``約70約130``: 約 after a digit), any gap the PDF showed between
  words.

``choices(line, width)`` gives every way to make exactly ``width`` cells by splitting some OPTIONAL boundaries;
which one is right is the table's decision (reconstruct.py), by its column count, totals and columns' shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import combinations

BAR = " | "
MAX_CHOICES = 64
LINE_CACHE_SIZE = 1 << 14  # distinct table lines remembered per process (a few MB)

_UNIT = r"(?:[億萬千百]?元|[億萬]|宗|個|間|人|名|項|次|倍|小時|日|天|分鐘|部|所|條|套)"
_MARK = r"(?:[(（]註\s*\d*[)）]|註\s*\d*|[*＊^#△])"
_NUMBER = re.compile(
    rf"(?:約|逾|超過|少於|不足|近)?[(（]?[$＄+\-–]?\d[\d,]*(?:\.\d+)?%?{_UNIT}?{_MARK}*[)）]?{_MARK}*"
    r"|[-–—]|N/A|不適用[*＊^#]?"
)
_YEAR = re.compile(r"(?:19|20)\d\d(?:\s?[-–/／]\s?(?:\d\d|(?:19|20)\d\d))?(?:年度?)?(?:[(（][^)）]*[)）])?")
_GROUP_HEAD = re.compile(r"[(（$＄]?\d{1,3}")
_GROUP_TAIL = re.compile(rf"\d{{3}}{_UNIT}?{_MARK}*[)）]?")
_APPROXIMATELY = ("約", "逾", "超過", "少於", "不足", "近")  # "約 70": one figure
_SPACED_GROUPS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_NOTE_NUMBER = re.compile(r".*註 \d{1,2}$")  # "數目註 | 1": the note's number, not a figure
_YEAR_CUT = re.compile(r"((?:19|20)\d\d[／/])(?: \| | )?(?=\d\d(?!\d))")  # "2022／ | 23": one school year
# "294如人工智能…": a figure run into the text of the next cell (the extraction lost the gap between them)
_FIGURE_THEN_TEXT = re.compile(r"(?<=^\d)(?=[\u4e00-\u9fff]{3})|(?<=^\d\d)(?=[\u4e00-\u9fff]{3})"
                               r"|(?<=^\d{3})(?=[\u4e00-\u9fff]{3})")
_YEAR_THEN_TEXT = re.compile(r"(?<=^(?:19|20)\d\d[／/-]\d\d)(?=不適用|[\u4e00-\u9fff]{3})")  # "2020／21不適用"
_LABEL_COLON = re.compile(r"(?<=[：:])(?=[\d$＄(（\-])")  # "總計：351.2": a label and a figure
# "約70約130", "約30約 | 70": the extraction glued two approximate figures; 約 after a digit starts the next one
_APPROXIMATE_AFTER_FIGURE = re.compile(r"(?<=\d)(?=(?:約|逾|超過)(?:\d|$))")


_CHINESE_BRACKET = re.compile(r"[(（][\u3400-\u9fff]")  # "2020-21 (實際)" reads "2020-21(實際)", as Chinese has no spaces


@dataclass(frozen=True, eq=False)
class Atom:
    text: str
    after_bar: bool  # a " | " stood before it

    @cached_property
    def is_number(self) -> bool:
        return bool(_NUMBER.fullmatch(self.text)) or is_year(self.text)

    @cached_property
    def is_year(self) -> bool:
        return is_year(self.text)


def is_year(text: str) -> bool:
    return bool(_YEAR.fullmatch(text))


def is_numeric(text: str) -> bool:
    """A cell that holds a figure (a year label is not one); ``4 743 772`` is one figure."""
    return bool(_NUMBER.fullmatch(_SPACED_GROUPS.sub("", text))) and not is_year(text)


def atoms(line: str) -> list[Atom]:
    found: list[Atom] = []
    for index, segment in enumerate(_YEAR_CUT.sub(r"\1", line).split(BAR)):
        words = [piece for word in segment.split() for cut in _LABEL_COLON.split(word)
                 for piece in _APPROXIMATE_AFTER_FIGURE.split(cut) if piece]
        words = [piece for word in words[:1] for piece in _YEAR_THEN_TEXT.split(word) if piece] + [
            piece for word in words[1:] for piece in _FIGURE_THEN_TEXT.split(word) if piece]
        for position, word in enumerate(words):
            if found and (found[-1].text in _APPROXIMATELY or _NOTE_NUMBER.match(found[-1].text + " " + word)):
                found[-1] = Atom(found[-1].text + word, found[-1].after_bar)
            else:
                found.append(Atom(word, after_bar=index > 0 and position == 0))
    return found


def boundary(left: Atom, right: Atom) -> str:
    """JOIN, OPTIONAL or SPLIT between two neighbouring atoms (see the module's docstring)."""
    if _GROUP_HEAD.fullmatch(left.text.rstrip()) or _continues_group(left.text):
        if _GROUP_TAIL.fullmatch(right.text) and not left.text.endswith((")", "）")):
            return "OPTIONAL"
    if right.after_bar:
        return "SPLIT"
    if not left.is_number and not right.is_number:
        return "JOIN"
    if left.is_number and right.text.startswith(("(", "（")) and not right.is_number:
        return "JOIN"
    return "SPLIT"


def _continues_group(text: str) -> bool:
    return bool(re.fullmatch(r"\d{3}", text))


@dataclass(frozen=True, eq=False)
class Line:
    """One stored table line, read."""

    text: str
    atoms: tuple[Atom, ...]
    kinds: tuple[str, ...]  # boundary kinds, len(atoms) - 1

    @classmethod
    def read(cls, text: str) -> "Line":
        """The line of this text, read once per process: a Line never changes, and the same lines (years,
        units, a bureau's standard rows and headers) recur across replies, each time with its choices cut."""
        return _read_line(text)

    @cached_property
    def fewest(self) -> int:
        return 1 + self.kinds.count("SPLIT") if self.atoms else 0

    @cached_property
    def most(self) -> int:
        return self.fewest + self.kinds.count("OPTIONAL")

    @cached_property
    def has_figure(self) -> bool:
        return any(is_numeric(atom.text) for atom in self.atoms)

    @cached_property
    def only_years(self) -> bool:
        return bool(self.atoms) and all(atom.is_year for atom in self.atoms)

    @cached_property
    def segments(self) -> list[str]:
        """The pieces between the gaps the PDF showed."""
        pieces: list[list[str]] = []
        for atom in self.atoms:
            if atom.after_bar or not pieces:
                pieces.append([])
            pieces[-1].append(atom.text)
        return [" ".join(piece) for piece in pieces]

    def choices(self, width: int) -> list[tuple[str, ...]]:
        """Every way of cutting this line into exactly ``width`` cells (at most MAX_CHOICES) that joins as few
        of the gaps the PDF showed as the count allows; remembered on the line (a table tries many widths)."""
        if width not in self._choices:
            self._choices[width] = self._cuts(width)
        return self._choices[width]

    @cached_property
    def _choices(self) -> dict[int, list[tuple[str, ...]]]:
        return {}

    def _cuts(self, width: int) -> list[tuple[str, ...]]:
        optional = [i for i, kind in enumerate(self.kinds) if kind == "OPTIONAL"]
        wanted = width - self.fewest
        if not self.atoms or wanted < 0 or wanted > len(optional):
            return []
        found: list[tuple[int, tuple[str, ...]]] = []
        for split in combinations(optional, wanted):
            joined_gaps = sum(1 for i in optional if i not in split and self.atoms[i + 1].after_bar)
            found.append((joined_gaps, self._cut(set(split))))
            if len(found) >= MAX_CHOICES:
                break
        fewest_joined = min(joined for joined, _ in found)
        return [cells for joined, cells in found if joined == fewest_joined]

    def _cut(self, split: set[int]) -> tuple[str, ...]:
        cells = [self.atoms[0].text]
        for index, atom in enumerate(self.atoms[1:]):
            if self.kinds[index] == "SPLIT" or index in split:
                cells.append(atom.text)
            else:
                cells[-1] += ("" if _CHINESE_BRACKET.match(atom.text) else " ") + atom.text
        return tuple(cells)


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _read_line(text: str) -> Line:
    found = atoms(text)
    return Line(text, tuple(found), tuple(boundary(a, b) for a, b in zip(found, found[1:])))


_NOTE_DEFINED = re.compile(r"^註\s*[(（]\s*(\d{1,2})\s*[)）]")  # "註(2)：此欄統計數字為…"
_MARKS = re.compile(r"(?:[(（]\d{1,2}[)）])+")


def defined_marks(notes: list[str]) -> frozenset[str]:
    """The bracketed numbers the notes under a table explain (``註(2)：…`` defines ``2``)."""
    return frozenset(match.group(1) for note in notes if (match := _NOTE_DEFINED.match(note)))


def with_marks_attached(text: str, marks: frozenset[str]) -> str:
    """A table line with each note mark the notes explain joined to the label before it: ``比率 | (2)`` reads
    ``比率(2)``, a label and its note, not a label and the figure (2) (``資料處理員 | (3)``, where no note
    explains (3), stays a row)."""
    segments = text.split(BAR)
    joined = segments[:1]
    for segment in segments[1:]:
        if (_MARKS.fullmatch(segment) and set(re.findall(r"\d{1,2}", segment)) <= marks
                and not is_numeric(joined[-1])):
            joined[-1] += segment
        else:
            joined.append(segment)
    return BAR.join(joined)
