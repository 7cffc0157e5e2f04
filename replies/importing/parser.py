"""Parse the text extracted from a session's PDF of Controlling Officers' replies.

Pure: text in, records out (records.py); no Django, no I/O.  The file holds an index table
(index_table.py), then one body per reply:

     審核 2023-24年度  答覆編號          <- header printed above the reply; sometimes partly or
     開支預算                               wholly lost (then the index tells which reply it is)
    ITIB001
     管制人員的答覆
    (問題編號： 2875)                    <- every body has this line: it anchors the body
    總目：  (135) 政府總部︰創新科技及工業局
    分目：  ()
    綱領：  (2) 創新及科技                 (may wrap onto the next line)
    管制人員：  創新科技及工業局常任秘書長 (麥德偉 )
    局長：  創新科技及工業局局長
    問題：  ...
    提問人：陳振英議員 (立法會內部參考編號： 23)
    答覆：  ...
    – 完  –
    annexes, tables and links that the extraction put after the end mark belong to the reply

with page footers such as "第  17 節  ITIB - 第  2 頁" anywhere.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from .cleaning import KNOWN_CELL_SEPARATOR, PAGE_FOOTER, clean_inline, clean_section, normalise_colons, page_header_pattern
from .decoding import decode_file, reject_binary  # noqa: F401 (decode_file is imported from here by callers)
from .index_table import (
    INDEX_HEADER,
    ROW_EXAMPLE,
    SERIAL,
    BodyKey,
    index_discrepancies,
    match_bodies,
    parse_index_table,
    parse_programmes,
    serial_prefix,
)
from .records import IndexEntry, ParsedFile, ParseError, ProgrammeRef, ReplyRecord

_QUESTION_SERIAL = re.compile(r"^\s*[(（]\s*問題編號\s*[：:︰]\s*(\d+)\s*[)）]\s*$")
_END = re.compile(r"^\s*[–—-]\s*完\s*[–—-]\s*$")
_HEADER_FIELD = re.compile(r"^\s*(總目|分目|綱領|管制人員|局長)\s*[：:︰]\s*(.*)$")
_HEADER_LABELS = ("總目", "分目", "綱領", "管制人員", "局長")
_QUESTION_LABEL = re.compile(r"^\s*問題\s*[：:︰]\s*(.*)$")
_ASKER_LABEL = re.compile(r"^\s*提問人\s*[：:︰]")
_REPLY_LABEL = re.compile(r"^\s*答覆\s*[：:︰]\s*(.*)$")
_ASKER = re.compile(r"^提問人：(?P<member>.+?)(?:議員)+[(（]立法會內部參考編號：(?P<reference>.+?)[)）]$")
_HEAD = re.compile(r"^[(（](?P<number>\d+)[)）](?P<name>.+)$")
_SUBHEAD = re.compile(r"^[(（](?P<code>[^)）]*)[)）](?P<title>.*)$")
_OFFICER = re.compile(r"^(?P<title>.+?)[(（](?P<name>[^)）]+)[)）]$")
_YEAR_IN_WORDS = re.compile(r"審核\s*([〇零一二三四五六七八九]{4})\s*至\s*([〇零一二三四五六七八九]{2})\s*年度")
_YEAR_IN_DIGITS = re.compile(r"審核\s*(\d{4})\s*-\s*(\d{2})\s*年度")
_SESSION = re.compile(r"第\s*(\d+)\s*節\s*會議")
_BUREAU = re.compile(r"^\s*局長\s*[：:︰]\s*(\S.*?)\s*$")
_ANY_PAGE_HEADER = page_header_pattern(SERIAL)
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# Printed lines on a page of replies, measured on the bundled file (between footers whose page
# numbers are known): used to estimate the pages that have lost their footer.
LINES_PER_PAGE = 32


@dataclass(frozen=True)
class _Span:
    start: int  # index of the body's first line: its header, else its question serial
    question: int  # index of the "(問題編號： N)" line
    stop: int  # index after its last line: the next body's start or the end of the file


@dataclass
class _Body:
    span: _Span
    question_serial: int
    header_serial: str | None
    header_year: str | None
    fields: dict[str, tuple[int, str]]  # label -> (line number, cleaned value)
    question_lines: list[str]
    asker: tuple[int, str]
    reply_lines: list[str]
    trailing_lines: list[str]  # after "– 完 –": annexes, displaced tables, links

    @property
    def line(self) -> int:
        return self.span.start + 1


@dataclass(frozen=True)
class _PageStart:
    line: int  # index of a footer line: the extraction prints a page's footer before its text
    page: int


def parse_file(text: str, source_file: str) -> ParsedFile:
    """Every reply of a session's file, checked against its index.

    Malformed input raises ParseError naming the line; a reply whose header disagrees with its
    index row is still returned, and the disagreement is listed in `discrepancies`.
    """
    lines = _split_lines(text)
    header = _index_header(lines)
    spans = _locate_bodies(lines, header)
    index_end = spans[0].start if spans else len(lines)
    index = parse_index_table(
        (number + 1, lines[number]) for number in range(header, index_end) if not PAGE_FOOTER.match(lines[number])
    )
    if not index:
        raise ParseError(header + 1, f'expected index rows such as "{ROW_EXAMPLE}" under the index header')
    prefix = serial_prefix(index[0].serial)
    furniture = page_header_pattern(re.escape(prefix) + r"\d{3,4}")
    bodies = [_read_body(lines, span, furniture, is_last=span.stop == len(lines)) for span in spans]
    entries = match_bodies([BodyKey(body.line, body.question_serial, body.header_serial) for body in bodies], index)
    pages = _estimate_start_pages(lines, [body.span.start for body in bodies], _page_starts(lines))
    preamble = lines[:header]
    parsed = ParsedFile(
        year=_file_year(preamble, bodies),
        session=_file_session(preamble, lines),
        bureau=_file_bureau(preamble, bodies),
        serial_prefix=prefix,
        index=index,
    )
    for body, entry, page in zip(bodies, entries, pages):
        record = _build_record(body, entry, source_file, page)
        parsed.replies.append(record)
        parsed.discrepancies += index_discrepancies(record, entry)
    parsed.discrepancies += _consistency_discrepancies(parsed, [body.header_year for body in bodies])
    return parsed


def _split_lines(text: str) -> list[str]:
    text = text.lstrip("\ufeff")
    reject_binary(text, allowed=KNOWN_CELL_SEPARATOR)
    if not text.strip():
        raise ParseError(1, "empty file: expected the index table, then the replies")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _index_header(lines: list[str]) -> int:
    for number, line in enumerate(lines):
        if INDEX_HEADER.match(line):
            return number
        if _QUESTION_SERIAL.match(line):
            break
    first_reply = next((n for n, line in enumerate(lines) if _QUESTION_SERIAL.match(line)), 0)
    raise ParseError(first_reply + 1, 'no index table: expected the header "答覆編號 問題編號 議員姓名 總目 綱領" before the replies')


def _locate_bodies(lines: list[str], after: int) -> list[_Span]:
    questions = [number for number in range(after, len(lines)) if _QUESTION_SERIAL.match(lines[number])]
    starts = [_header_start(lines, question, after) for question in questions]
    return [_Span(start, question, stop) for start, question, stop in zip(starts, questions, starts[1:] + [len(lines)])]


def _header_start(lines: list[str], question: int, floor: int) -> int:
    """Walk up from the question serial over the header lines printed above it."""
    start = question
    number = question - 1
    while number > floor and (not lines[number].strip() or _ANY_PAGE_HEADER.match(lines[number])):
        start = number if lines[number].strip() else start
        number -= 1
    return start


def _read_body(lines: list[str], span: _Span, furniture: re.Pattern[str], is_last: bool) -> _Body:
    question_serial = int(_QUESTION_SERIAL.match(lines[span.question]).group(1))
    find = _LabelFinder(lines, span, question_serial, is_last)
    question_label = find(_QUESTION_LABEL, span.question + 1, "問題：")
    asker = find(_ASKER_LABEL, question_label + 1, "提問人：")
    reply_label = find(_REPLY_LABEL, asker + 1, "答覆：")
    end = find(_END, reply_label + 1, "– 完 –", required=is_last)
    reply_stop = span.stop if end is None else end
    header = [line.strip() for line in lines[span.start : span.question]]

    def content(begin: int, stop: int) -> list[str]:
        return ["" if PAGE_FOOTER.match(line) or furniture.match(line) else line for line in lines[begin:stop]]

    return _Body(
        span=span,
        question_serial=question_serial,
        header_serial=next((line for line in header if re.fullmatch(SERIAL, line)), None),
        header_year=next((f"{m[1]}-{m[2]}" for m in map(_YEAR_IN_DIGITS.search, header) if m), None),
        fields=_read_header_fields(content(span.question + 1, question_label), span.question + 2, question_serial),
        question_lines=[_QUESTION_LABEL.match(lines[question_label]).group(1), *content(question_label + 1, asker)],
        asker=(asker + 1, clean_inline(" ".join(content(asker, reply_label)))),
        reply_lines=[_REPLY_LABEL.match(lines[reply_label]).group(1), *content(reply_label + 1, reply_stop)],
        trailing_lines=[] if end is None else content(end + 1, span.stop),
    )


@dataclass(frozen=True)
class _LabelFinder:
    """Find the next label of a body, or say which one is missing and where."""

    lines: list[str]
    span: _Span
    question_serial: int
    is_last: bool

    def __call__(self, pattern: re.Pattern[str], begin: int, label: str, required: bool = True) -> int | None:
        found = next((n for n in range(begin, self.span.stop) if pattern.match(self.lines[n])), None)
        if found is not None or not required:
            return found
        where = f"the reply to question {self.question_serial} (line {self.span.start + 1})"
        if self.is_last:
            raise ParseError(self.span.stop, f'truncated file: {where} ends before "{label}"')
        raise ParseError(self.span.stop, f'expected "{label}" in {where}')


def _read_header_fields(lines: list[str], first_line: int, question_serial: int) -> dict[str, tuple[int, str]]:
    """總目, 分目, 綱領, 管制人員 and 局長, each possibly wrapped onto the following lines."""
    fields: dict[str, tuple[int, list[str]]] = {}
    label = None
    for number, raw in enumerate(lines, first_line):
        text = raw.strip()
        match = _HEADER_FIELD.match(text)
        if match:
            label = match.group(1)
            fields[label] = (number, [match.group(2)])
        elif text and label is None:
            raise ParseError(number, f'expected "總目：" after the question serial {question_serial}, found "{text}"')
        elif text:
            fields[label][1].append(text)
    for label in _HEADER_LABELS:
        if label not in fields:
            where = f"the header of the reply to question {question_serial}"
            raise ParseError(first_line - 1, f'expected "{label}：" in {where}')
    return {label: (number, clean_inline(" ".join(parts))) for label, (number, parts) in fields.items()}


def _build_record(body: _Body, entry: IndexEntry, source_file: str, page: int) -> ReplyRecord:
    head_number, head_name = _parse_field(_HEAD, body.fields["總目"], '"(135) 政府總部：創新科技及工業局"')
    subhead_code, subhead_title = _parse_field(_SUBHEAD, body.fields["分目"], '"()" or "(000) 運作開支"')
    officer_title, officer_name = _parse_officer(body.fields["管制人員"][1])
    member, reference = _parse_field(_ASKER, body.asker, '"提問人：陳振英議員 (立法會內部參考編號： 23)"')
    reply_parts = (clean_section(body.reply_lines), clean_section(body.trailing_lines))
    return ReplyRecord(
        serial=entry.serial,
        question_serial=body.question_serial,
        member=member,
        legco_reference=reference,
        head_number=int(head_number),
        head_name=head_name,
        subhead_code=subhead_code,
        subhead_title=subhead_title,
        programmes=_parse_programme_field(*body.fields["綱領"]),
        controlling_officer_title=officer_title,
        controlling_officer_name=officer_name,
        director_of_bureau=body.fields["局長"][1],
        question=clean_section(body.question_lines),
        reply="\n\n".join(part for part in reply_parts if part),
        source_file=source_file,
        source_page=page,
        line=body.line,
    )


def _parse_field(pattern: re.Pattern[str], field: tuple[int, str], example: str) -> tuple[str, ...]:
    line, value = field
    match = pattern.match(normalise_colons(value))
    if not match:
        raise ParseError(line, f'expected a value such as {example}, found "{value}"')
    return tuple(part.strip() for part in match.groups())


def _parse_officer(value: str) -> tuple[str, str]:
    """"創新科技及工業局常任秘書長(麥德偉)" -> title and name; a title alone has no name."""
    match = _OFFICER.match(value)
    return (match["title"].strip(), match["name"].strip()) if match else (value, "")


def _parse_programme_field(line: int, value: str) -> tuple[ProgrammeRef, ...]:
    programmes = parse_programmes(value)
    if programmes is None:
        raise ParseError(line, f'expected programmes such as "(2) 創新及科技" or "沒有指定", found "{value}"')
    return programmes


def _consistency_discrepancies(parsed: ParsedFile, header_years: list[str | None]) -> list[str]:
    """Every reply should name the file's year and bureau, and each head should keep one name."""
    found: list[str] = []
    head_names: dict[int, ReplyRecord] = {}
    for record, year in zip(parsed.replies, header_years):
        where = f"{record.serial} (line {record.line})"
        if year and year != parsed.year:
            found.append(f"{where}: year {year}, not {parsed.year}")
        if record.director_of_bureau != parsed.bureau:
            found.append(f"{where}: bureau {record.director_of_bureau}, not {parsed.bureau}")
        first = head_names.setdefault(record.head_number, record)
        if first.head_name != record.head_name:
            found.append(
                f"{where}: head {record.head_number} is named {record.head_name}, "
                f"but {first.head_name} in {first.serial} (line {first.line})"
            )
    return found


def _file_year(preamble: list[str], bodies: list[_Body]) -> str:
    """"審核二零二三至二四年度" in the index's title, else "審核 2023-24年度" in a reply's header."""
    title = "\n".join(preamble)
    if words := _YEAR_IN_WORDS.search(title):
        return f"{words[1].translate(_CHINESE_DIGITS)}-{words[2].translate(_CHINESE_DIGITS)}"
    if digits := _YEAR_IN_DIGITS.search(title):
        return f"{digits[1]}-{digits[2]}"
    if years := [body.header_year for body in bodies if body.header_year]:
        return years[0]
    raise ParseError(1, 'expected the financial year: "審核二零二三至二四年度" or "審核 2023-24年度"')


def _file_session(preamble: list[str], lines: list[str]) -> int:
    if session := _SESSION.search("\n".join(preamble)):
        return int(session[1])
    if footer := next(filter(None, map(PAGE_FOOTER.match, lines)), None):
        return int(footer["session"])
    raise ParseError(1, 'expected the session number: "第 17 節會議" or a footer "第 17 節 ITIB - 第 2 頁"')


def _file_bureau(preamble: list[str], bodies: list[_Body]) -> str:
    if bureau := next(filter(None, map(_BUREAU.match, preamble)), None):
        return clean_inline(bureau[1])
    if bodies:
        return bodies[0].fields["局長"][1]
    raise ParseError(1, 'expected the bureau: "局長：創新科技及工業局局長"')


def _page_starts(lines: list[str]) -> list[_PageStart]:
    return [_PageStart(number, int(m["page"])) for number, m in enumerate(map(PAGE_FOOTER.match, lines)) if m]


def _estimate_start_pages(lines: list[str], starts: list[int], footers: list[_PageStart]) -> list[int]:
    """The PDF page on which each body starts.

    Only some pages kept their footer, and "第 N 頁" begins page N (the first footer, "第 2 頁",
    comes just before ITIB002).  Every reply starts a new page and fills ceil(printed lines /
    LINES_PER_PAGE) pages, so a reply's page is counted forward from the footer before it and back
    from the footer after it; the two counts are weighted by how near each footer is.  Before the
    first footer only the count back exists, after the last only the count forward, and a file
    without footers counts from page 1.
    """
    printed = [0]
    for line in lines:
        printed.append(printed[-1] + (1 if line.strip() and not PAGE_FOOTER.match(line) else 0))
    counter = _PageCounter(printed, footers)
    forward = counter.count(starts, step=1)
    backward = counter.count(starts[::-1], step=-1)[::-1]
    pages: list[int] = []
    for start, ahead, behind in zip(starts, forward, backward):
        if ahead is not None and behind is not None:
            before, after = counter.nearest_footers(start)
            share = (printed[start] - printed[before.line]) / max(1, printed[after.line] - printed[before.line])
            page = round(ahead + (behind - ahead) * share)
        elif ahead is not None or behind is not None:
            page = ahead if ahead is not None else behind
        else:
            page = pages[-1] + counter.pages_between(starts[len(pages) - 1], start) if pages else 1
        pages.append(max(page, pages[-1] + 1 if pages else 1))
    return pages


@dataclass(frozen=True)
class _PageCounter:
    printed: list[int]  # printed lines before each line of the file
    footers: list[_PageStart]

    def pages_between(self, begin: int, end: int) -> int:
        return max(1, math.ceil((self.printed[end] - self.printed[begin]) / LINES_PER_PAGE))

    def nearest_footers(self, line: int) -> tuple[_PageStart | None, _PageStart | None]:
        after = bisect.bisect_right([footer.line for footer in self.footers], line)
        before = self.footers[after - 1] if after else None
        return before, (self.footers[after] if after < len(self.footers) else None)

    def count(self, starts: list[int], step: int) -> list[int | None]:
        """Pages counted from the nearest footer in one direction (1: forward, -1: back)."""
        pages: list[int | None] = []
        for number, start in enumerate(starts):
            footer = self.nearest_footers(start)[0 if step == 1 else 1]
            previous = starts[number - 1] if number else None
            if footer is None:
                pages.append(None)
            elif previous is not None and (previous - footer.line) * step > 0:
                pages.append(pages[-1] + step * self.pages_between(*sorted((previous, start))))
            elif step == 1:
                tail = self.printed[start] - self.printed[footer.line + 1]  # of a reply begun before the footer
                pages.append(footer.page + math.ceil(tail / LINES_PER_PAGE))
            else:
                pages.append(footer.page - self.pages_between(start, footer.line))
        return pages
