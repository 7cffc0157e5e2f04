"""python manage.py reindex: rebuild every reply's search columns, tables and reading columns (after a dictionary,
search-code, table-rule or reading-rule change)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from replies import common_strings
from replies.models import Reply
from replies.reading_store import corpus_weights, refresh_reading
from replies.search_index import index_replies
from replies.tables import tables_of
from replies.tables.model import count_line, shown_as_source

TABLE_BATCH = 500


def refresh_tables(replies) -> tuple[int, int]:
    """Recompute the tables of these replies; (tables, tables shown as source lines)."""
    tables = as_source = 0
    batch = []
    for reply in replies.only("id", "question", "reply").iterator(chunk_size=2000):
        reply.tables = tables_of(reply.question, reply.reply)
        tables += len(reply.tables)
        as_source += shown_as_source(reply.tables)
        batch.append(reply)
        if len(batch) >= TABLE_BATCH:
            Reply.objects.bulk_update(batch, ["tables"])
            batch = []
    Reply.objects.bulk_update(batch, ["tables"])
    return tables, as_source


class Command(BaseCommand):
    help = ("Recompute search_text, match_vector, meta_vector, rank_vector, tables, subject, keywords, subject names "
            "and not-provided statements of every reply.")

    def add_arguments(self, parser):
        parser.add_argument("--year", help="only the replies of this year, e.g. 2023-24")

    def handle(self, *args, year=None, **options):
        replies = Reply.objects.all()
        if year:
            replies = replies.filter(year__label=year)
        total = replies.count()
        started = time.monotonic()
        added = common_strings.refresh()
        done = index_replies(replies, progress=self.progress_printer(total, started))
        elapsed = time.monotonic() - started
        rate = done / elapsed if elapsed > 0 else 0
        self.stdout.write(f"reindexed {done} replies in {elapsed:.1f} s ({rate:.0f} replies/s)")
        self.stdout.write(f"common strings: {added} added")
        tables, as_source = refresh_tables(replies)
        self.stdout.write(count_line(tables, as_source))
        read = refresh_reading(replies, corpus_weights(Reply.objects.all()))
        self.stdout.write(f"subjects, keywords, names and not-provided statements: {read} replies")

    def progress_printer(self, total: int, started: float):
        """Count, rate and time left, only on a terminal: logs and CI output stay clean."""
        if not self.stdout.isatty():
            return None

        def show(done: int) -> None:
            elapsed = time.monotonic() - started
            rate = done / elapsed if elapsed > 0 else 0
            left = (total - done) / rate if rate else 0
            self.stdout.write(f"\r  {done}/{total} replies, {rate:.0f}/s, {left:.0f} s left", ending="")
            self.stdout.flush()
            if done == total:
                self.stdout.write("")

        return show
