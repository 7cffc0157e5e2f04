"""make backup / make restore: a dump restores exactly the data it was taken from.

Runs the real commands in subprocesses against a throw-away PostgreSQL (DATABASE_URL), as an
operator would against an external server.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import psycopg
import pytest

from portal.backup import default_backup_path
from tests.throwaway import postgres_fixture
from tools.live_server import ROOT, manage, migrated_database, portal_environment

REPLY_FILES = ("tests/data/edb-2022-23.txt", "tests/data/fstb-tsy-2024-25.txt")


postgres = postgres_fixture("backup")


@pytest.fixture(scope="module")
def database(postgres) -> str:
    return migrated_database(postgres, "portal_backup", *REPLY_FILES)


@pytest.fixture(scope="module")
def dump(database, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dumps") / "portal.dump"
    result = manage(portal_environment(database), "backup_db", str(path))
    assert result.stdout.startswith(f"backup written to {path} (")
    return path


def execute(url: str, *statements: str) -> None:
    with psycopg.connect(url) as conn:
        for statement in statements:
            conn.execute(statement)


@pytest.mark.slow
def test_restore_brings_back_exactly_the_backed_up_data(postgres, database, dump):
    before = postgres.rows("portal_backup")
    assert len(before["replies_reply"]) == 5

    execute(
        database,
        "DELETE FROM replies_reply_programmes",
        "DELETE FROM replies_reply WHERE serial = 'EDB045'",
        "UPDATE replies_member SET name = name || ' (changed)'",
        "INSERT INTO replies_year (label) VALUES ('1999-00')",
    )
    assert postgres.rows("portal_backup") != before

    result = manage(portal_environment(database), "restore_db", "--noinput", str(dump))
    assert result.stdout.strip() == f'database "portal_backup" restored from {dump}'
    assert postgres.rows("portal_backup") == before


@pytest.mark.slow
def test_a_dump_restores_into_an_empty_database(postgres, dump):
    empty = postgres.create_database("portal_recovered")
    manage(portal_environment(empty), "restore_db", "--noinput", str(dump))
    assert postgres.rows("portal_recovered") == postgres.rows("portal_backup")


@pytest.mark.slow
def test_restoring_a_missing_or_damaged_file_changes_nothing(postgres, database, dump, tmp_path):
    before = postgres.rows("portal_backup")
    missing = manage(portal_environment(database), "restore_db", "--noinput", "no/such.dump", check=False)
    assert missing.returncode == 1
    assert "no/such.dump: no such backup file — nothing was changed" in missing.stderr

    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    result = manage(portal_environment(database), "restore_db", "--noinput", str(damaged), check=False)
    assert result.returncode == 1
    assert "pg_restore failed:" in result.stderr and "nothing was changed" in result.stderr
    assert postgres.rows("portal_backup") == before


@pytest.mark.slow
def test_a_backup_the_server_refuses_leaves_no_file(postgres, tmp_path):
    dump = tmp_path / "never.dump"
    result = manage(portal_environment(postgres.url("no_such_database")), "backup_db", str(dump), check=False)
    assert result.returncode == 1
    assert "pg_dump failed:" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_default_backup_names_carry_the_date_and_time():
    path = default_backup_path(datetime(2026, 3, 4, 5, 6, 7))
    assert path == Path(ROOT) / "backups" / "portal-20260304-050607.dump"
