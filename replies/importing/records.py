"""Plain records produced by the parser: no ORM, so parsing can be tested and golden-filed on its own."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProgrammeRef:
    number: int
    name: str


@dataclass(frozen=True)
class IndexEntry:
    """One row of the index table at the front of a session's file."""

    serial: str
    question_serial: int
    member: str
    head_number: int
    programmes: tuple[ProgrammeRef, ...]
    line: int


@dataclass(frozen=True)
class ReplyRecord:
    serial: str  # "ITIB001"
    question_serial: int  # 2875
    member: str  # "陳振英" (without the 議員 suffix)
    legco_reference: str  # 立法會內部參考編號, "23"
    head_number: int  # 135
    head_name: str  # "政府總部：創新科技及工業局" (colons normalised to U+FF1A)
    subhead_code: str  # "" when the file says "()"
    subhead_title: str
    programmes: tuple[ProgrammeRef, ...]
    controlling_officer_title: str  # "創新科技及工業局常任秘書長"
    controlling_officer_name: str  # "麥德偉"
    director_of_bureau: str  # "創新科技及工業局局長"
    question: str  # cleaned: paragraphs separated by "\n\n", table rows by "\n"
    reply: str
    source_file: str
    source_page: int  # page of the PDF where the body starts (from the footers)
    line: int  # line in the text file where the body starts


@dataclass
class ParsedFile:
    year: str  # "2023-24"
    session: int  # 17
    bureau: str  # "創新科技及工業局局長"
    serial_prefix: str  # "ITIB"
    index: list[IndexEntry] = field(default_factory=list)
    replies: list[ReplyRecord] = field(default_factory=list)
    discrepancies: list[str] = field(default_factory=list)


class ParseError(ValueError):
    """A file that cannot be imported; names the line and what was expected there."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")
