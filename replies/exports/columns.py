"""The columns of the tabular exports (CSV and XLSX), defined once so both files always agree.

The replies are read as plain values (ExportedReply), a chunk at a time, never as model instances: building a
Reply, its related objects and its programmes' manager for every row took most of an export's time. Each chunk's
programmes and table counts come from one more query: the tables are counted by the database instead of being
sent over and parsed, and counted per chunk rather than in the main query, where PostgreSQL would count every
reply's tables before sorting and so before the first row could be sent.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterable, Iterator

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, transaction
from django.db.models import BooleanField, F, Func, IntegerField, OuterRef
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.database_outage import DATABASE_ERRORS
from replies.listing_vocabulary import not_provided_labels
from replies.models import Programme, Reply

CHUNK_SIZE = 500  # replies fetched per database round trip: memory stays flat however large the set
# A serial that reverse() and build_absolute_uri() leave as it is (letters, digits, RFC 3986's unreserved marks and
# parentheses) and that makes no "." or ".." path segment: its URL is its year's URL with the serial put in. Any
# other serial is resolved the slow way.
PLAIN_SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.~()-]*")
SERIAL_MARKER = "0SERIAL0"
# The fraction of a cursor's rows PostgreSQL plans for reading soonest (0.1 by default); see streamed.
FAST_START = "SET LOCAL cursor_tuple_fraction = 0.01"
logger = logging.getLogger(__name__)


@dataclass(slots=True)
class ExportedReply:
    """What the tabular exports show of a reply, as the database gives it (FIELDS, in this order)."""

    pk: int
    year_label: str
    serial: str
    question_serial: int
    member_name: str
    head_number: int
    head_name: str
    subhead_code: str
    subhead_title: str
    controlling_officer_title: str
    controlling_officer_name: str
    director_of_bureau: str
    question: str
    reply: str
    subject: str
    keywords: list[str]
    not_provided_kinds: list[str]
    programmes: str = ""  # set per chunk (chunk_details, ProgrammeNames)
    table_count: int = 0  # set per chunk (chunk_details)
    url: str = ""  # set per chunk (ReplyUrls)

    # The model's own wording of the composite fields, not a copy of it.
    subhead = Reply.subhead
    controlling_officer = Reply.controlling_officer


FIELDS = (
    "pk", "year__label", "serial", "question_serial", "member__name", "head__number", "head__name", "subhead_code",
    "subhead_title", "controlling_officer_title", "controlling_officer_name", "director_of_bureau", "question",
    "reply", "subject", "keywords", "not_provided_kinds",
)


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[ExportedReply], object]
    width: int  # characters, for the spreadsheet


def programme_label(number: int, name: str) -> str:
    return f"({number}) {name}"


def programmes_text(reply: Reply) -> str:
    """A model instance's programmes, as the programmes column writes them (the Word export)."""
    return "; ".join(programme_label(programme.number, programme.name) for programme in reply.programmes.all())


COLUMNS = [
    Column(_("year"), lambda reply: reply.year_label, 9),
    Column(_("serial"), lambda reply: reply.serial, 11),
    Column(_("question serial"), lambda reply: reply.question_serial, 10),
    Column(_("member"), lambda reply: reply.member_name, 12),
    Column(_("head number"), lambda reply: reply.head_number, 8),
    Column(_("head"), lambda reply: reply.head_name, 24),
    Column(_("subhead"), lambda reply: reply.subhead, 16),
    Column(_("programmes"), lambda reply: reply.programmes, 28),
    Column(_("controlling officer"), lambda reply: reply.controlling_officer, 22),
    Column(_("director of bureau"), lambda reply: reply.director_of_bureau, 18),
    Column(_("question"), lambda reply: reply.question, 60),
    Column(_("reply"), lambda reply: reply.reply, 90),
    Column(_("URL"), lambda reply: reply.url, 40),
    # Last, so the columns before keep their places: how many tables the reply has (the XLSX "Tables" sheet and
    # the JSON export hold them).
    Column(_("tables"), lambda reply: reply.table_count, 7),
    # After the tables for the same reason: what the reply is about and what it did not provide (replies/reading).
    Column(_("subject"), lambda reply: reply.subject, 30),
    Column(_("keywords"), lambda reply: "; ".join(reply.keywords), 24),
    Column(_("information not provided"), lambda reply: not_provided_text(reply.not_provided_kinds), 18),
]


def not_provided_text(kinds: list[str]) -> str:
    """The kinds of information a reply did not provide, as the pages name them."""
    return "; ".join(map(str, not_provided_labels(kinds)))


def header(language: str | None = None) -> list[str]:
    """Labels in the page's language, or in the one given (CSV headers stay English for scripts)."""
    with translation.override(language or translation.get_language()):
        return [str(column.label) for column in COLUMNS]


def rows(selection, absolute_url: Callable[[str], str]) -> Iterator[list]:
    """One list of values per reply, in the selection's order, a chunk of replies at a time."""
    urls = ReplyUrls(absolute_url)
    programmes = ProgrammeNames()
    replies = selection.replies.prefetch_related(None).values_list(*FIELDS)
    for chunk in chunked(streamed(replies, not selection.searched), CHUNK_SIZE):
        replies = [ExportedReply(*values) for values in chunk]
        details = chunk_details([reply.pk for reply in replies])
        for reply in replies:
            reply.table_count, programme_ids = details[reply.pk]
            reply.programmes = programmes.text(programme_ids)
            reply.url = urls(reply.year_label, reply.serial)
            yield [column.value(reply) for column in COLUMNS]


def chunk_details(reply_ids: list[int]) -> dict[int, tuple[int, list[int]]]:
    """Each reply's table count (counted where the tables are stored) and programme ids, in one query."""
    count = Func(F("tables"), function="JSONB_ARRAY_LENGTH", output_field=IntegerField())
    links = Reply.programmes.through.objects.filter(reply_id=OuterRef("pk"))
    programme_ids = ArraySubquery(links.values("programme_id"))
    # one array literal, not pk__in: Django prepares and psycopg adapts each of an IN list's ids on its own
    among = RawSQL('"replies_reply"."id" = ANY(%s::bigint[])', ["{" + ",".join(map(str, reply_ids)) + "}"],
                   output_field=BooleanField())
    details = Reply.objects.filter(among).order_by().values_list("pk", count, programme_ids)
    return {pk: (tables, programmes) for pk, tables, programmes in details}


class ProgrammeNames:
    """The programmes column for a reply's programme ids, in the order of Programme's Meta. Every programme is
    read once per export (a few hundred rows), and again if a reply names one added since."""

    def __init__(self):
        self.by_id: dict[int, tuple[tuple[int, int], str]] = {}

    def load(self) -> None:
        programmes = Programme.objects.values_list("pk", "head__number", "number", "name")
        self.by_id = {pk: ((head, number), programme_label(number, name)) for pk, head, number, name in programmes}

    def text(self, programme_ids: list[int]) -> str:
        if any(pk not in self.by_id for pk in programme_ids):
            self.load()
        ordered = sorted(programme_ids, key=lambda pk: self.by_id[pk][0])
        return "; ".join(self.by_id[pk][1] for pk in ordered)


class ReplyUrls:
    """Each reply's absolute URL, resolved once per year rather than once per reply; the serial is put in."""

    def __init__(self, absolute_url: Callable[[str], str]):
        self.absolute_url = absolute_url
        self.by_year: dict[str, tuple[str, str]] = {}

    def resolved(self, year_label: str, serial: str) -> str:
        return self.absolute_url(reverse("reply-detail", args=[year_label, serial]))

    def __call__(self, year_label: str, serial: str) -> str:
        if not PLAIN_SERIAL.fullmatch(serial):
            return self.resolved(year_label, serial)
        if year_label not in self.by_year:
            before, _, after = self.resolved(year_label, SERIAL_MARKER).rpartition(SERIAL_MARKER)
            self.by_year[year_label] = (before, after)
        before, after = self.by_year[year_label]
        return before + serial + after


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def streamed(replies, fast_start: bool):
    """The replies from a server-side cursor, inside a transaction: outside one, Django declares the cursor
    WITH HOLD, which PostgreSQL materialises whole before the first row (115 s of silence for 200,000
    replies, long enough for a proxy to give up); inside, the first rows come at once.

    With ``fast_start`` the planner is asked for the plan whose first rows come soonest (FAST_START): weighing a
    cursor's first tenth, as it does by default, it sorted the whole corpus before its first row (a second of
    silence at 200,000 replies) rather than read it year by year and sort each year's serials (an incremental
    sort). Not for a search: its matches are ranked before the first row anyway, and asked for fast starts the
    planner chose sequential scans for the search's subqueries (7 s instead of 0.2 s for 13,000 matches).

    The transaction only reads, so once every row is out, a database that goes away before its COMMIT has
    cost nothing: the download is complete and ends normally instead of being cut off."""
    finished = False
    try:
        with transaction.atomic(using=replies.db):
            if fast_start:
                with connections[replies.db].cursor() as cursor:
                    cursor.execute(FAST_START)
            yield from replies.iterator(chunk_size=CHUNK_SIZE)
            finished = True
    except DATABASE_ERRORS as error:
        if not finished:
            raise
        logger.warning("export complete; its read-only transaction could not commit: %s", error)
