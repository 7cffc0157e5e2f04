"""python manage.py restore_db FILE: replace the portal's data by a dump made with backup_db."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, connection_environment, restore


class Command(BaseCommand):
    help = "Restore a backup_db dump (pg_restore --clean --if-exists, in one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a dump written by backup_db")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args, file, interactive, **options):
        database = connection_environment()["PGDATABASE"]
        if interactive:
            answer = input(f'Replace everything in database "{database}" by {file}? Type "yes" to continue: ')
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled, nothing changed")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(f"{error} — nothing was changed") from error
        self.stdout.write(f'database "{database}" restored from {file}')
