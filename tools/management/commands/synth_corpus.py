"""python manage.py synth_corpus --replies N [--seed S]: a benchmark database of N synthetic replies.

The corpus goes to its own database, ``bench_<N>`` on the embedded server (or ``--database NAME``, or
``--database-url URL``), never the portal's: the command refuses a target that is the portal's database. It runs
itself again as a child process whose default database is the target, so migrations, the ORM and the bulk save
all work on the benchmark database only. A complete corpus with the same seed is reused, not rebuilt; an
interrupted or different one is dropped and built again. ``--real`` loads the bundled replies as they are.
``--vocabulary technology`` keeps every reply in the technology bureau's words (the worst case, database
``bench_<N>_tech``); the default ``bureaux`` gives each bureau its own words (``tools/corpus/vocabulary.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.dburl import database_config, database_environment, url_of
from tools.corpus.synth import VOCABULARY_CHOICES

CHILD_FLAG = "SYNTH_CORPUS_TARGET"  # set in the child's environment: the database it must be connected to


class Command(BaseCommand):
    help = "Fill a separate benchmark database with N synthetic replies made from the bundled real ones."

    def add_arguments(self, parser):
        parser.add_argument("--replies", type=int, default=None, help="how many replies (default: all the real ones with --real)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--real", action="store_true", help="the bundled replies as they are, no synthesis")
        parser.add_argument("--vocabulary", choices=VOCABULARY_CHOICES, default=VOCABULARY_CHOICES[0],
                            help="bureaux: each bureau its own words (default); technology: all in ITIB's (worst case)")
        parser.add_argument("--database", help="database name on the embedded server (default bench_<N>)")
        parser.add_argument("--database-url", help="a PostgreSQL URL for the benchmark database instead")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="indexing processes")
        parser.add_argument("--force", action="store_true", help="rebuild even when a complete corpus is there")

    def handle(self, *args, **options):
        if options["replies"] is None and not options["real"]:
            raise CommandError("give --replies N (or --real for the bundled replies)")
        if options["replies"] is not None and options["replies"] < 1:
            raise CommandError("--replies must be at least 1")
        target = os.environ.get(CHILD_FLAG)
        if target:
            self.build_here(target, options)
        else:
            self.run_child(options)

    def run_child(self, options) -> None:
        """Refuse the portal's database, then build in a child process connected to the target."""
        name, env = self.target_environment(options)
        create_database(database_config(env.get("DATABASE_URL") or url_of({**settings.DATABASES["default"], "NAME": name})))
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "synth_corpus", *child_arguments(options)]
        result = subprocess.run(command, env={**os.environ, **env, CHILD_FLAG: name})
        if result.returncode:
            raise CommandError(f"building the corpus in database {name} failed (exit status {result.returncode})")

    def target_environment(self, options) -> tuple[str, dict[str, str]]:
        portal = settings.DATABASES["default"]
        forbidden = {portal["NAME"], os.environ.get("PORTAL_DATABASE", "portal"), "portal"}
        if options["database_url"]:
            config = database_config(options["database_url"])
            name, env = config["NAME"], {"DATABASE_URL": options["database_url"]}
            same_server = (config.get("HOST"), str(config.get("PORT"))) == (portal.get("HOST"), str(portal.get("PORT")))
            if same_server and name in forbidden:
                raise CommandError(f"refusing to fill {name}: it is the portal's own database")
            return name, env
        name = options["database"] or default_database_name(options)
        if name in forbidden:
            raise CommandError(f"refusing to fill {name}: it is the portal's own database")
        return name, database_environment(name)

    def build_here(self, target: str, options) -> None:
        if connection.settings_dict["NAME"] != target:
            raise CommandError(f"connected to {connection.settings_dict['NAME']}, expected {target}")
        from tools.corpus.build import build_corpus

        build_corpus(
            replies=options["replies"],
            seed=options["seed"],
            real=options["real"],
            vocabulary=options["vocabulary"],
            workers=options["workers"],
            force=options["force"],
            migrate=lambda: call_command("migrate", verbosity=0, interactive=False),
            out=self.stdout,
        )


def create_database(config: dict) -> None:
    """Create the target database on its server unless it exists (the embedded server's start hook only creates
    the one PORTAL_DATABASE names, and an external server creates none)."""
    import psycopg

    server = dict(dbname="postgres", host=config["HOST"] or None, port=config["PORT"] or None,
                  user=config["USER"] or None, password=config["PASSWORD"] or None)
    with psycopg.connect(**server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


def default_database_name(options) -> str:
    if options["real"] and options["replies"] is None:
        return "bench_real"
    return f"bench_{options['replies']}" + ("_tech" if options["vocabulary"] == "technology" else "")


def child_arguments(options) -> list[str]:
    arguments = ["--seed", str(options["seed"]), "--workers", str(options["workers"]),
                 "--vocabulary", options["vocabulary"]]
    if options["replies"] is not None:
        arguments += ["--replies", str(options["replies"])]
    for flag in ("real", "force"):
        if options[flag]:
            arguments.append(f"--{flag}")
    return arguments
