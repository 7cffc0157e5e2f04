"""What an import would do, worked out without writing: the report behind ``import_replies --dry-run``.

Why: a clerk with a new PDF needs to see which replies it adds or changes, and where its index and bodies
disagree, before anything in the portal changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from replies.importing.records import ParsedFile, ReplyRecord
from replies.models import Reply
from replies.tables import tables_of

# The stored fields a record sets directly; a difference in any of them makes the reply "changed".
_COMPARED = (
    "question_serial", "legco_reference", "subhead_code", "subhead_title", "controlling_officer_title",
    "controlling_officer_name", "director_of_bureau", "question", "reply", "source_file", "source_page",
)


@dataclass
class ImportPreview:
    source_file: str
    year: str
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    discrepancies: list[str] = field(default_factory=list)
    tables_as_source: list[str] = field(default_factory=list)  # "ITIB190 (reply)": shown as their source lines


def preview_import(parsed: ParsedFile, source_name: str) -> ImportPreview:
    """Compare every parsed reply with the stored one of the same year and serial; reads only."""
    preview = ImportPreview(source_name, parsed.year, discrepancies=list(parsed.discrepancies))
    stored = {
        reply.serial: reply
        for reply in Reply.objects.filter(year__label=parsed.year, serial__in=[r.serial for r in parsed.replies])
        .select_related("member", "head").prefetch_related("programmes")
    }
    for record in parsed.replies:
        tables = tables_of(record.question, record.reply)
        preview.tables_as_source += [f"{record.serial} ({t['field']})" for t in tables if not t["reconstructed"]]
        reply = stored.get(record.serial)
        if reply is None:
            preview.new.append(record.serial)
        elif _differs(reply, record, tables):
            preview.changed.append(record.serial)
        else:
            preview.unchanged.append(record.serial)
    return preview


def _differs(reply: Reply, record: ReplyRecord, tables: list[dict]) -> bool:
    programmes = sorted((p.number, p.name) for p in reply.programmes.all())
    return (
        any(getattr(reply, name) != getattr(record, name) for name in _COMPARED)
        or reply.member.name != record.member
        or (reply.head.number, reply.head.name) != (record.head_number, record.head_name)
        or programmes != sorted((p.number, p.name) for p in record.programmes)
        or reply.tables != tables
    )


def preview_lines(preview: ImportPreview) -> Iterable[str]:
    yield f"{preview.source_file}: dry run, nothing was changed — {preview.year}"
    for label, serials in (("new", preview.new), ("changed", preview.changed), ("unchanged", preview.unchanged)):
        yield f"  {label}: {len(serials)}" + (f" ({', '.join(serials)})" if serials else "")
    yield f"  discrepancies between the index and the bodies: {len(preview.discrepancies) or 'none'}"
    yield from (f"    - {line}" for line in preview.discrepancies)
    shown = preview.tables_as_source
    yield f"  tables kept as their source lines: {len(shown)}" + (f" ({', '.join(shown)})" if shown else "")
