"""Saving a parsed file: one transaction, keyed on (year, serial), safe to re-run."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from django.db import transaction

from replies import aliases, common_strings
from replies.importing.records import ParsedFile, ProgrammeRef, ReplyRecord
from replies.models import Head, Member, Programme, Reply, SourceFile, Year
from replies.reading_store import corpus_weights, refresh_reading
from replies.search_index import index_replies
from replies.tables import tables_of
from replies.tables.model import count_line, shown_as_source


@dataclass
class ImportSummary:
    source_file: str
    year: str
    created: int = 0
    updated: int = 0
    replies_per_head: Counter = field(default_factory=Counter)
    members: int = 0
    discrepancies: list[str] = field(default_factory=list)
    skipped: bool = False
    tables: int = 0
    tables_as_source: int = 0  # tables whose columns could not be recovered: shown as their source lines

    @property
    def total(self) -> int:
        return self.created + self.updated


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def already_imported(name: str, digest: str) -> bool:
    return SourceFile.objects.filter(name=name, sha256=digest).exists()


class _Lookups:
    """Get-or-create caches, so a file of thousands of replies touches each member/head/programme once."""

    def __init__(self) -> None:
        self.members: dict[str, Member] = {}
        self.heads: dict[int, Head] = {}
        self.programmes: dict[tuple[int, int], Programme] = {}

    def member(self, name: str) -> Member:
        if name not in self.members:
            self.members[name], _ = Member.objects.get_or_create(name=name)
        return self.members[name]

    def head(self, number: int, name: str) -> Head:
        if number not in self.heads:
            head, created = Head.objects.get_or_create(number=number, defaults={"name": name})
            if not created and name and head.name != name:
                head.name = name
                head.save(update_fields=["name"])
            self.heads[number] = head
        return self.heads[number]

    def programme(self, head: Head, ref: ProgrammeRef) -> Programme:
        key = (head.number, ref.number)
        if key not in self.programmes:
            programme, created = Programme.objects.get_or_create(
                head=head, number=ref.number, defaults={"name": ref.name}
            )
            if not created and programme.name != ref.name:
                programme.name = ref.name
                programme.save(update_fields=["name"])
            self.programmes[key] = programme
        return self.programmes[key]


def _reply_fields(record: ReplyRecord, lookups: _Lookups) -> dict:
    return {
        "question_serial": record.question_serial,
        "member": lookups.member(record.member),
        "legco_reference": record.legco_reference,
        "head": lookups.head(record.head_number, record.head_name),
        "subhead_code": record.subhead_code,
        "subhead_title": record.subhead_title,
        "controlling_officer_title": record.controlling_officer_title,
        "controlling_officer_name": record.controlling_officer_name,
        "director_of_bureau": record.director_of_bureau,
        "question": record.question,
        "reply": record.reply,
        "tables": tables_of(record.question, record.reply),
        "source_file": record.source_file,
        "source_page": record.source_page,
    }


@transaction.atomic
def save_parsed_file(
    parsed: ParsedFile,
    *,
    source_name: str,
    digest: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Upsert every reply of `parsed`; all or nothing, so a failure leaves the database as it was."""
    year, _ = Year.objects.get_or_create(label=parsed.year)
    lookups = _Lookups()
    summary = ImportSummary(source_file=source_name, year=parsed.year, discrepancies=list(parsed.discrepancies))
    saved_ids = []
    for position, record in enumerate(parsed.replies, start=1):
        reply, created = Reply.objects.update_or_create(
            year=year, serial=record.serial, defaults=_reply_fields(record, lookups)
        )
        reply.programmes.set([lookups.programme(reply.head, ref) for ref in record.programmes])
        saved_ids.append(reply.pk)
        summary.tables += len(reply.tables)
        summary.tables_as_source += shown_as_source(reply.tables)
        summary.created += created
        summary.updated += not created
        summary.replies_per_head[record.head_number] += 1
        if progress:
            progress(position, len(parsed.replies))
    index_replies(Reply.objects.filter(pk__in=saved_ids))
    refresh_reading(Reply.objects.filter(pk__in=saved_ids), corpus_weights(Reply.objects.all()))
    common_strings.refresh()  # strings these replies made common are indexed before anyone searches them
    aliases.mine(text for record in parsed.replies for text in (record.question, record.reply))
    summary.members = len({record.member for record in parsed.replies})
    _record_source(parsed, source_name, digest, year, len(saved_ids))
    return summary


def _record_source(parsed: ParsedFile, name: str, digest: str, year: Year, count: int) -> None:
    SourceFile.objects.update_or_create(
        name=name,
        defaults={
            "sha256": digest,
            "year": year,
            "session": parsed.session,
            "bureau": parsed.bureau,
            "serial_prefix": parsed.serial_prefix,
            "reply_count": count,
        },
    )


def summary_lines(summary: ImportSummary) -> Iterable[str]:
    yield f"{summary.source_file}: {summary.total} replies for {summary.year} ({summary.created} new, {summary.updated} updated)"
    for head, count in sorted(summary.replies_per_head.items()):
        yield f"  head {head}: {count} {'reply' if count == 1 else 'replies'}"
    yield f"  members: {summary.members}"
    yield f"  {count_line(summary.tables, summary.tables_as_source)}"
    if summary.discrepancies:
        yield f"  discrepancies between the index and the bodies: {len(summary.discrepancies)}"
        yield from (f"    - {line}" for line in summary.discrepancies)
    else:
        yield "  discrepancies between the index and the bodies: none"
