"""make bench: build (or reuse) every corpus, measure each, then write docs/BENCHMARKS.md and the chart.

    python -m tools.benchmark [--sizes real,20000,200000,200000-tech] [--repeats 5] [--load-seconds 30] [--no-pdf]

A size is ``real`` (the bundled replies), a reply count (the multi-bureau corpus, database ``bench_<N>``) or
``<N>-tech`` (every reply in the technology bureau's words, the worst case, database ``bench_<N>_tech``). Each
corpus is measured in its own process connected to its own database; the portal's database is never touched
(synth_corpus refuses it). Once per run, not per corpus, the PDF import rate is measured in a scratch database
of its own (tools/benchmark/pdf_import.py), unless ``--no-pdf``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from portal.dburl import database_environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent
RESULTS_DIR = BASE_DIR / ".data" / "bench"


TECH_SUFFIX = "-tech"
PDF_SCRATCH_DATABASE = "bench_pdf_import"  # created, imported into and dropped by tools/benchmark/pdf_import.py


def database_for(size: str) -> str:
    if size == "real":
        return "bench_real"
    if size.endswith(TECH_SUFFIX):
        return f"bench_{int(size.removesuffix(TECH_SUFFIX))}_tech"
    return f"bench_{int(size)}"


def corpus_arguments(size: str) -> list[str]:
    if size == "real":
        return ["--real"]
    if size.endswith(TECH_SUFFIX):
        return ["--replies", size.removesuffix(TECH_SUFFIX), "--vocabulary", "technology"]
    return ["--replies", size]


def manage(*arguments: str, env: dict | None = None) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *arguments], cwd=BASE_DIR, check=True,
                   env={**os.environ, **(env or {})})


def build(size: str, seed: int) -> dict:
    """The corpus (reused when complete) and its import figures."""
    manage("synth_corpus", *corpus_arguments(size), "--seed", str(seed))
    return json.loads((RESULTS_DIR / f"{database_for(size)}-import.json").read_text())


def measure(size: str, arguments) -> dict:
    database = database_for(size)
    command = ["tools.benchmark.measure", "--repeats", str(arguments.repeats), "--seed", str(arguments.seed),
               "--load-seconds", str(arguments.load_seconds), "--clients", str(arguments.clients)]
    return measured(database, command, RESULTS_DIR / f"{database}-result.json", arguments.skip_measured)


def measure_pdf_import(arguments) -> dict | None:
    """The PDF import rate, once per run: the same file whatever the corpora."""
    if arguments.no_pdf:
        return None
    print("measuring the PDF import …", flush=True)
    return measured(PDF_SCRATCH_DATABASE, ["tools.benchmark.pdf_import"], RESULTS_DIR / "pdf-import-result.json",
                    arguments.skip_measured)


def measured(database: str, module_and_options: list[str], out: Path, reuse: bool) -> dict:
    """Run a measuring module in its own process connected to ``database``; its JSON result (or the last one)."""
    if reuse and out.is_file():
        print(f"{database}: reusing the measurement of {json.loads(out.read_text()).get('measured_at')}", flush=True)
        return json.loads(out.read_text())
    command = [sys.executable, "-m", *module_and_options, "--out", str(out)]
    subprocess.run(command, cwd=BASE_DIR, check=True, env={**os.environ, **database_environment(database)})
    return json.loads(out.read_text())


def postgres_version() -> str:
    """The server's version and the settings every connection of the portal sets (portal/settings.py)."""
    output = subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), "shell", "-c",
                             "from django.conf import settings; from django.db import connection; "
                             "c = connection.cursor(); c.execute('SHOW server_version'); print(c.fetchone()[0]); "
                             "print(settings.DATABASES['default']['OPTIONS'].get('options', ''))"],
                            cwd=BASE_DIR, check=True, capture_output=True, text=True).stdout.strip().splitlines()
    version, options = output[-2].split()[0], output[-1]
    return f"PostgreSQL {version} (embedded, pgserver), server defaults; every connection sets `{options}`"


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the benchmark corpora, measure them, write the report.")
    parser.add_argument("--sizes", default="real,20000,200000,200000-tech",
                        help="comma-separated: real, reply counts (multi-bureau), <N>-tech (technology worst case)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5, help="timed requests per query and page")
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--docs", type=Path, default=BASE_DIR / "docs")
    parser.add_argument("--skip-measured", action="store_true",
                        help="reuse a corpus's last measurement when there is one (the report says when it was taken)")
    parser.add_argument("--no-pdf", action="store_true",
                        help="leave out the PDF import rate (a run only about queries)")
    arguments = parser.parse_args()
    sizes = arguments.sizes.split(",")
    manage("collectstatic", "--noinput", "--verbosity", "0", env={"DJANGO_DEBUG": "0",
                                                                  "DJANGO_SECRET_KEY": "benchmark-collectstatic"})
    imports = {size: build(size, arguments.seed) for size in sizes}
    results = []
    for size in sizes:
        print(f"measuring {database_for(size)} …", flush=True)
        results.append({**measure(size, arguments), "import": imports[size], "size": size})
    pdf_import = measure_pdf_import(arguments)
    from tools.benchmark.report import write

    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    write(results, pdf_import=pdf_import, date=date, postgres=postgres_version(), command="make bench",
          docs=arguments.docs)
    print(f"wrote {arguments.docs / 'BENCHMARKS.md'}")


if __name__ == "__main__":
    main()
