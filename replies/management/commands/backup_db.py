"""python manage.py backup_db [FILE]: pg_dump the portal's database (default backups/portal-YYYYmmdd-HHMMSS.dump)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup, default_backup_path


class Command(BaseCommand):
    help = "Dump the portal's database (embedded or DATABASE_URL) in pg_dump's custom format."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="where to write the dump")

    def handle(self, *args, file, **options):
        try:
            path = backup(file or default_backup_path())
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup written to {path} ({path.stat().st_size} bytes)")
