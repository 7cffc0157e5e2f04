"""The columns of the tabular exports (CSV and XLSX), defined once so both files always agree."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.database_outage import DATABASE_ERRORS
from replies.models import Reply

CHUNK_SIZE = 500  # replies fetched per database round trip: memory stays flat however large the set
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Reply, Callable[[str], str]], object]
    width: int  # characters, for the spreadsheet


def programmes_text(reply: Reply) -> str:
    return "; ".join(f"({programme.number}) {programme.name}" for programme in reply.programmes.all())


COLUMNS = [
    Column(_("year"), lambda reply, url: reply.year.label, 9),
    Column(_("serial"), lambda reply, url: reply.serial, 11),
    Column(_("question serial"), lambda reply, url: reply.question_serial, 10),
    Column(_("member"), lambda reply, url: reply.member.name, 12),
    Column(_("head number"), lambda reply, url: reply.head.number, 8),
    Column(_("head"), lambda reply, url: reply.head.name, 24),
    Column(_("subhead"), lambda reply, url: reply.subhead, 16),
    Column(_("programmes"), lambda reply, url: programmes_text(reply), 28),
    Column(_("controlling officer"), lambda reply, url: reply.controlling_officer, 22),
    Column(_("director of bureau"), lambda reply, url: reply.director_of_bureau, 18),
    Column(_("question"), lambda reply, url: reply.question, 60),
    Column(_("reply"), lambda reply, url: reply.reply, 90),
    Column(_("URL"), lambda reply, url: url(reply.get_absolute_url()), 40),
    # Last, so the columns before keep their places: how many tables the reply has (the XLSX "Tables" sheet and
    # the JSON export hold them).
    Column(_("tables"), lambda reply, url: len(reply.tables), 7),
]


def header(language: str | None = None) -> list[str]:
    """Labels in the page's language, or in the one given (CSV headers stay English for scripts)."""
    with translation.override(language or translation.get_language()):
        return [str(column.label) for column in COLUMNS]


def rows(selection, absolute_url: Callable[[str], str]):
    """One list of values per reply, fetched in chunks (see streamed)."""
    for reply in streamed(selection.replies):
        yield [column.value(reply, absolute_url) for column in COLUMNS]


def streamed(replies):
    """The replies from a server-side cursor, inside a transaction: outside one, Django declares the cursor
    WITH HOLD, which PostgreSQL materialises whole before the first row (115 s of silence for 200,000
    replies, long enough for a proxy to give up); inside, the first rows come at once.

    The transaction only reads, so once every row is out, a database that goes away before its COMMIT has
    cost nothing: the download is complete and ends normally instead of being cut off."""
    finished = False
    try:
        with transaction.atomic():
            yield from replies.iterator(chunk_size=CHUNK_SIZE)
            finished = True
    except DATABASE_ERRORS as error:
        if not finished:
            raise
        logger.warning("export complete; its read-only transaction could not commit: %s", error)
