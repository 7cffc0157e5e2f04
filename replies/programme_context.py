"""Programme context for a head from its Controlling Officer's Report (a bundled copy, Simplified Chinese).

Per programme: its aim (宗旨) and the matters requiring special attention in the coming year. The report is
read once, at page time, with pure functions; the text is converted to Hong Kong Traditional (OpenCC s2hk)
for display next to the replies, and the page says where it comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

_PROGRAMME_HEADING = re.compile(r"^纲领\((\d+)\)：(.+)$")
_PAGE_HEADER = re.compile(r"^总目 \d+ –")  # repeated at the top of every page: skipped
_SECTIONS_END = ("纲领", "财政拨款分析")  # the financial tables after the last programme
_PARAGRAPH_NUMBER = re.compile(r"^\d+\s+")
_AIM, _BRIEF, _MATTERS = "宗旨", "简介", "需要特别留意的事项"


@dataclass(frozen=True)
class ProgrammeContext:
    number: int
    name: str
    aim: str
    matters_intro: str
    matters: tuple[str, ...]


def report_path(head_number: int) -> Path | None:
    """The newest bundled report for the head (fixtures/head47-cor-2024-25.txt), if any."""
    found = sorted((settings.BASE_DIR / "fixtures").glob(f"head{int(head_number)}-cor-*.txt"))
    return found[-1] if found else None


def report_year(path: Path) -> str:
    return path.stem.rsplit("-cor-", 1)[1]


def parse_report(text: str) -> dict[int, ProgrammeContext]:
    """Programme number -> its context, from the report's "详情" sections (Simplified Chinese, unchanged)."""
    sections: dict[int, tuple[str, list[str]]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        heading = _PROGRAMME_HEADING.match(line)
        if heading:
            current = int(heading.group(1))
            sections[current] = (heading.group(2).strip(), [])
        elif line in _SECTIONS_END:
            current = None
        elif _PAGE_HEADER.match(line):
            continue
        elif current is not None and line:
            sections[current][1].append(line)
    return {number: _context(number, name, lines) for number, (name, lines) in sections.items()}


def _context(number: int, name: str, lines: list[str]) -> ProgrammeContext:
    parts = _split_by_heading(lines)
    aim = " ".join(_PARAGRAPH_NUMBER.sub("", line) for line in parts.get(_AIM, []) if "\t" not in line)
    matters = parts.get(_MATTERS, [])
    intro = next((_PARAGRAPH_NUMBER.sub("", line) for line in matters if not line.startswith("- ")), "")
    items = tuple(line[2:].strip() for line in matters if line.startswith("- "))
    return ProgrammeContext(number, name, aim, intro, items)


def _split_by_heading(lines: list[str]) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    heading = None
    for line in lines:
        if line in (_AIM, _BRIEF) or line.endswith(_MATTERS):
            heading = _MATTERS if line.endswith(_MATTERS) else line
            parts[heading] = []
        elif heading:
            parts[heading].append(line)
    return parts


@lru_cache(maxsize=8)
def programme_context(head_number: int) -> tuple[str, dict[int, ProgrammeContext]]:
    """(report year, programme number -> context in Hong Kong Traditional) for a head, or ("", {})."""
    path = report_path(head_number)
    if path is None:
        return "", {}
    contexts = parse_report(path.read_text(encoding="utf-8"))
    return report_year(path), {number: _traditional(context) for number, context in contexts.items()}


def _traditional(context: ProgrammeContext) -> ProgrammeContext:
    from replies.script_switch import convert

    def s2hk(text: str) -> str:
        return convert(text, "s2hk")

    return ProgrammeContext(
        context.number, s2hk(context.name), s2hk(context.aim), s2hk(context.matters_intro),
        tuple(s2hk(item) for item in context.matters),
    )
