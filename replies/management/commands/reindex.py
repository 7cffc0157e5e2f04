"""python manage.py reindex: rebuild every reply's search columns (after a dictionary or search-code change)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from replies.models import Reply
from replies.search_index import index_replies


class Command(BaseCommand):
    help = "Recompute search_text, match_vector, meta_vector and rank_vector of every reply."

    def add_arguments(self, parser):
        parser.add_argument("--year", help="only the replies of this year, e.g. 2023-24")

    def handle(self, *args, year=None, **options):
        replies = Reply.objects.all()
        if year:
            replies = replies.filter(year__label=year)
        total = replies.count()
        started = time.monotonic()
        done = index_replies(replies, progress=self.progress_printer(total, started))
        elapsed = time.monotonic() - started
        rate = done / elapsed if elapsed > 0 else 0
        self.stdout.write(f"reindexed {done} replies in {elapsed:.1f} s ({rate:.0f} replies/s)")

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
