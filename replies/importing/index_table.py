"""The index table at the front of a session's file, one row per reply, and the matching of the
reply bodies to its rows:

    答覆編號 問題編號 議員姓名 總目 綱領
    ITIB001 2875 陳振英 135 (2) 創新及科技
    ITIB007 1356 陳紹雄 135                          <- no programme
    ITIB104 2042 吳永嘉 155 (6) 資助金：香港生產力促進局，香港
    應用科技研究院有限公司                            <- the programme name wraps
    ITIB190 2159 林振昇 47 (1) 政府內部資訊科技的使用
    (2) 資訊科技基建及標準                            <- a second programme
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .cleaning import clean_inline, normalise_colons
from .records import IndexEntry, ParseError, ProgrammeRef, ReplyRecord

INDEX_HEADER = re.compile(r"^\s*答覆編號\s+問題編號\s+議員姓名\s+總目\s+綱領\s*$")
# "ITIB001", "EDB045", "FSTB(Tsy)001": the bureau's prefix, then the reply's number.
SERIAL = r"[A-Z][A-Za-z]*(?:\([A-Za-z]+\))?\d{3,4}"
_SERIAL_PARTS = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")
_ROW = re.compile(
    rf"^(?P<serial>{SERIAL})\s+(?P<question>\d+)\s+(?P<member>\S+)\s+(?P<head>\d+)(?:\s+(?P<programmes>.*))?$"
)
_PROGRAMME = re.compile(r"[(（](\d+)[)）](.*?)(?=[(（]\d+[)）]|$)")
NO_PROGRAMME = "沒有指定"
ROW_EXAMPLE = "ITIB001 2875 陳振英 135 (2) 創新及科技"


def serial_prefix(serial: str) -> str:
    match = _SERIAL_PARTS.match(serial)
    return match.group("prefix") if match else serial


def parse_programmes(text: str) -> tuple[ProgrammeRef, ...] | None:
    """"(1) 甲 , (2) 乙" -> two programmes; "" or "沒有指定" -> none; None when unreadable."""
    text = normalise_colons(clean_inline(text))
    if text in ("", NO_PROGRAMME):
        return ()
    programmes = tuple(
        ProgrammeRef(int(number), name.strip(" ,，、")) for number, name in _PROGRAMME.findall(text)
    )
    if not programmes or not text.startswith(("(", "（")):
        return None
    return programmes


@dataclass
class _Row:
    match: re.Match[str]
    line: int
    wrapped: list[str] = field(default_factory=list)

    def entry(self) -> IndexEntry:
        programme_text = " ".join([self.match.group("programmes") or "", *self.wrapped])
        programmes = parse_programmes(programme_text)
        if programmes is None:
            raise ParseError(self.line, f'expected programmes such as "(2) 創新及科技", found "{programme_text.strip()}"')
        return IndexEntry(
            serial=self.match.group("serial"),
            question_serial=int(self.match.group("question")),
            member=self.match.group("member"),
            head_number=int(self.match.group("head")),
            programmes=programmes,
            line=self.line,
        )


def parse_index_table(numbered_lines: Iterable[tuple[int, str]]) -> list[IndexEntry]:
    """The index rows among (line number, text) pairs; repeated header lines are skipped."""
    rows: list[_Row] = []
    for number, raw in numbered_lines:
        text = raw.strip()
        if not text or INDEX_HEADER.match(text):
            continue
        match = _ROW.match(text)
        if match:
            rows.append(_Row(match, number))
        elif rows:
            rows[-1].wrapped.append(text)
        else:
            raise ParseError(number, f'expected an index row such as "{ROW_EXAMPLE}", found "{text}"')
    entries = [row.entry() for row in rows]
    _check_unique_serials(entries)
    return entries


def _check_unique_serials(entries: list[IndexEntry]) -> None:
    first_line: dict[str, int] = {}
    prefix = serial_prefix(entries[0].serial) if entries else ""
    for entry in entries:
        if entry.serial in first_line:
            raise ParseError(
                entry.line, f"duplicated serial {entry.serial} in the index (first at line {first_line[entry.serial]})"
            )
        if serial_prefix(entry.serial) != prefix:
            raise ParseError(entry.line, f"expected a serial starting with {prefix}, found {entry.serial}")
        first_line[entry.serial] = entry.line


@dataclass(frozen=True)
class BodyKey:
    """What identifies a reply body: its first line, its question serial, its printed serial if any."""

    line: int
    question_serial: int
    serial: str | None


def match_bodies(bodies: list[BodyKey], index: list[IndexEntry]) -> list[IndexEntry]:
    """The index entry of each body, in order.

    A body that lost its serial line is the index's next entry when the question serials agree,
    else the entry with its question serial.
    """
    by_serial = {entry.serial: entry for entry in index}
    position = {entry.serial: number for number, entry in enumerate(index)}
    used: dict[str, int] = {}
    entries: list[IndexEntry] = []
    for body in bodies:
        following = position[entries[-1].serial] + 1 if entries else 0
        entry = _entry_for(body, by_serial, index[following] if following < len(index) else None, index)
        if entry.serial in used:
            raise ParseError(
                body.line, f"duplicated serial {entry.serial}: the reply at line {used[entry.serial]} has it too"
            )
        used[entry.serial] = body.line
        entries.append(entry)
    missing = [entry for entry in index if entry.serial not in used]
    if missing:
        raise ParseError(missing[0].line, f"truncated file: index entry {missing[0].serial} has no reply body")
    return entries


def _entry_for(
    body: BodyKey, by_serial: dict[str, IndexEntry], expected: IndexEntry | None, index: list[IndexEntry]
) -> IndexEntry:
    with_question = [entry for entry in index if entry.question_serial == body.question_serial]
    if not with_question:
        raise ParseError(body.line, f"question serial {body.question_serial} is not in the index")
    if body.serial is not None:
        if body.serial not in by_serial:
            raise ParseError(body.line, f"reply serial {body.serial} is not in the index")
        return by_serial[body.serial]
    if expected is not None and expected.question_serial == body.question_serial:
        return expected
    return with_question[0]


def index_discrepancies(record: ReplyRecord, entry: IndexEntry) -> list[str]:
    """Where a reply's header disagrees with its index row, in words."""
    checks = (
        ("question serial", record.question_serial, entry.question_serial),
        ("member", record.member, entry.member),
        ("head", record.head_number, entry.head_number),
        ("programmes", _describe(record.programmes), _describe(entry.programmes)),
    )
    where = f"{record.serial} (line {record.line})"
    return [
        f"{where}: {what} is {in_reply} in the reply but {in_index} in the index (line {entry.line})"
        for what, in_reply, in_index in checks
        if in_reply != in_index
    ]


def _describe(programmes: tuple[ProgrammeRef, ...]) -> str:
    return ", ".join(f"({programme.number}) {programme.name}" for programme in programmes) or "no programme"
