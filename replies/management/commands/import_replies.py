"""python manage.py import_replies FILE [FILE ...]: parse a session's reply file and save it atomically."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from replies.importing.parser import decode_file, parse_file
from replies.importing.records import ParseError
from replies.importing.save import already_imported, file_digest, save_parsed_file, summary_lines


class Command(BaseCommand):
    help = "Import the text extracted from a session's PDF of Controlling Officers' replies."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="reply files (default: the bundled ones)")
        parser.add_argument(
            "--if-new", action="store_true", help="skip a file whose exact contents were imported already"
        )

    def handle(self, *args, files, if_new, **options):
        for path in files or settings.BUNDLED_REPLY_FILES:
            self.import_one(Path(path), if_new=if_new)

    def import_one(self, path: Path, *, if_new: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror})") from error
        digest = file_digest(data)
        if if_new and already_imported(path.name, digest):
            self.stdout.write(f"{path.name}: already imported, nothing to do")
            return
        try:
            parsed = parse_file(decode_file(data), path.name)
        except ParseError as error:
            raise CommandError(f"{path}: {error} — nothing was imported") from error
        summary = save_parsed_file(parsed, source_name=path.name, digest=digest, progress=self.progress_printer())
        for line in summary_lines(summary):
            self.stdout.write(line)

    def progress_printer(self):
        """Progress only on a terminal: logs and CI output stay clean."""
        if not sys.stdout.isatty():
            return None

        def show(done: int, total: int) -> None:
            sys.stdout.write(f"\r  saving {done}/{total} replies")
            if done == total:
                sys.stdout.write("\n")
            sys.stdout.flush()

        return show
