"""The pytest side of tools/live_server.py (the throw-away PostgreSQL and the portal under gunicorn, which the
tools use too): a module-scoped fixture owning a throw-away server."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tools.live_server import ThrowawayPostgres, all_rows

__all__ = ["all_rows", "postgres_fixture"]  # all_rows: tests that compare database dumps import it from here


def postgres_fixture(directory_name: str):
    """A module-scoped pytest fixture yielding a ThrowawayPostgres, deleted after the module.

    Its directory is not under pytest's tmp_path: a concurrent pytest run of someone else prunes
    old /tmp/pytest-of-<user>/ directories, and would delete the data of a server still running.
    """

    @pytest.fixture(scope="module")
    def postgres():
        directory = Path(tempfile.mkdtemp(prefix=f"portal-{directory_name}-"))
        server = ThrowawayPostgres(directory)
        yield server
        server.close()
        shutil.rmtree(directory, ignore_errors=True)

    return postgres
