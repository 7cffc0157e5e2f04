"""The PDF import rate (issue 18): a generated 300-page reply PDF imported whole by ``import_replies`` into a
scratch database, and its extraction alone (``pdf_text``), in pages and replies per second.

    PORTAL_DATABASE=bench_pdf_import python -m tools.benchmark.pdf_import --out result.json [--file F.pdf]

Why a committed file: it is made by LibreOffice (``python -m tools.reply_pdfs tools/benchmark/data --count 120
--name itib-2023-24-300-pages``: the index pages, then 120 bundled replies, 300 pages), which a fresh clone or
CI does not have. Why a scratch database: an import writes, and the corpora are measured as they were built. Its
name must start with ``bench_pdf`` (never a corpus's nor the portal's); it is dropped if an interrupted run left
it, created empty, migrated, and dropped again at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

import pdfplumber  # noqa: E402  (after django.setup)
import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from portal.embedded_db import start_embedded_database  # noqa: E402
from replies.importing.pdf import pdf_text  # noqa: E402
from replies.models import Reply  # noqa: E402
from tools.management.commands.synth_corpus import create_database  # noqa: E402

PDF_FILE = settings.BASE_DIR / "tools" / "benchmark" / "data" / "itib-2023-24-300-pages.pdf"
SCRATCH_PREFIX = "bench_pdf"
SCRATCH_DATABASE = "bench_pdf_import"


def measure_pdf_import(path: Path) -> dict:
    """Both timings on the scratch database this process is connected to, which is left dropped."""
    config = dict(connection.settings_dict)
    refuse_unless_scratch(config["NAME"])
    drop_database(config)
    create_database(config)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        return {"database": config["NAME"], **import_figures(path)}
    finally:
        connection.close()
        drop_database(config)


def refuse_unless_scratch(name: str) -> None:
    if not name.startswith(SCRATCH_PREFIX):
        raise SystemExit(f"refusing to import into {name}: the scratch database's name starts with {SCRATCH_PREFIX}")


def import_figures(path: Path) -> dict:
    """One whole import into the empty database, then one extraction; pdfplumber is loaded before either."""
    data = path.read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as document:
        pages = len(document.pages)
    started = time.perf_counter()
    call_command("import_replies", str(path), stdout=io.StringIO())
    import_seconds = time.perf_counter() - started
    replies = Reply.objects.count()
    started = time.perf_counter()
    pdf_text(data)
    extraction_seconds = time.perf_counter() - started
    try:
        shown = str(path.resolve().relative_to(settings.BASE_DIR))
    except ValueError:  # a file given from elsewhere
        shown = str(path)
    return {"file": shown, "mb": round(len(data) / 2**20, 2), "pages": pages, "replies": replies,
            "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "import": rates(import_seconds, pages, replies), "extraction": rates(extraction_seconds, pages, replies)}


def rates(seconds: float, pages: int, replies: int) -> dict:
    return {"seconds": round(seconds, 1), "pages_per_second": round(pages / seconds, 1),
            "replies_per_second": round(replies / seconds, 1)}


def drop_database(config: dict) -> None:
    with psycopg.connect(dbname="postgres", host=config["HOST"] or None, port=config["PORT"] or None,
                         user=config["USER"] or None, password=config["PASSWORD"] or None,
                         autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--file", type=Path, default=PDF_FILE)
    arguments = parser.parse_args()
    refuse_unless_scratch(connection.settings_dict["NAME"])  # before the server's start creates it
    start_embedded_database()  # as manage.py does: a no-op when it is up or DATABASE_URL is set
    result = measure_pdf_import(arguments.file)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
