"""python manage.py import_replies FILE [FILE ...]: parse a session's reply PDF or text and save it atomically."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from replies.importing.pdf import PdfError
from replies.importing.preview import preview_import, preview_lines
from replies.importing.records import ParseError
from replies.importing.reply_file import parse_reply_file
from replies.importing.save import already_imported, file_digest, save_parsed_file, summary_lines


class Command(BaseCommand):
    help = "Import a session's PDF of Controlling Officers' replies (or the text extracted from it)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="reply files (default: the bundled ones)")
        parser.add_argument(
            "--if-new", action="store_true", help="skip a file whose exact contents were imported already"
        )
        parser.add_argument(
            "--allow-discrepancies",
            action="store_true",
            help="import a file whose index disagrees with its reply bodies (listed in the summary)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report the new, changed and unchanged replies; change nothing"
        )

    def handle(self, *args, files, if_new, allow_discrepancies, dry_run=False, **options):
        for path in files or settings.BUNDLED_REPLY_FILES:
            self.import_one(Path(path), if_new=if_new, allow_discrepancies=allow_discrepancies, dry_run=dry_run)

    def import_one(self, path: Path, *, if_new: bool, allow_discrepancies: bool = False, dry_run: bool = False):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror})") from error
        digest = file_digest(data)
        if if_new and already_imported(path.name, digest):
            self.stdout.write(f"{path.name}: already imported, nothing to do")
            return
        try:
            parsed = parse_reply_file(path.name, data)
        except (ParseError, PdfError) as error:
            raise CommandError(f"{path}: {error} — nothing was imported") from error
        if dry_run:
            for line in preview_lines(preview_import(parsed, path.name)):
                self.stdout.write(line)
            return
        if parsed.discrepancies and not allow_discrepancies:
            raise CommandError(discrepancy_report(path, parsed.discrepancies))
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


def discrepancy_report(path: Path, discrepancies: list[str], shown: int = 20) -> str:
    """An index that disagrees with the bodies is an error: which of the two is right needs a person."""
    lines = [
        f"{path}: the index disagrees with the reply bodies in {len(discrepancies)} place(s) — nothing was imported",
        *(f"  - {line}" for line in discrepancies[:shown]),
    ]
    if len(discrepancies) > shown:
        lines.append(f"  … and {len(discrepancies) - shown} more")
    lines.append("Correct the file, or import it as it is with --allow-discrepancies.")
    return "\n".join(lines)
