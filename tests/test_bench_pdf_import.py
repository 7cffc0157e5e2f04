"""The benchmark's PDF step (tools/benchmark/pdf_import.py) on the committed 300-page file: every reply imported
into a scratch database of its own, which is gone afterwards. No timing is asserted: the benchmark measures, the
suite checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from portal.dburl import database_environment
from tests.test_benchmark import _server_connection
from tools.benchmark import report


@pytest.mark.slow
def test_pdf_step_imports_the_committed_file_and_drops_its_database(tmp_path):
    name = f"bench_pdf_{settings.DATABASES['default']['NAME']}"[:60]
    out = tmp_path / "pdf-import.json"
    subprocess.run([sys.executable, "-m", "tools.benchmark.pdf_import", "--out", str(out)], cwd=settings.BASE_DIR,
                   env={**os.environ, **database_environment(name)}, check=True)
    result = json.loads(out.read_text())
    assert (result["file"], result["pages"], result["replies"]) == (
        "tools/benchmark/data/itib-2023-24-300-pages.pdf", 300, 120)
    assert result["mb"] <= 2.5
    for step in ("import", "extraction"):
        assert result[step]["pages_per_second"] > 0 and result[step]["replies_per_second"] > 0
    with _server_connection("postgres") as connection:
        assert not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    lines = report.pdf_import_lines(result)
    assert "300 pages, 120 replies" in lines[0] and any("extraction alone" in line for line in lines)


def test_pdf_step_refuses_a_database_that_is_not_its_scratch_one():
    from tools.benchmark.pdf_import import refuse_unless_scratch

    for name in ("bench_real", "bench_20000", "bench_200000_tech", "portal"):
        with pytest.raises(SystemExit, match="refusing"):
            refuse_unless_scratch(name)
    refuse_unless_scratch("bench_pdf_import")
