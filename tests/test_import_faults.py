"""Import faults: every bad file is refused with the line and the problem, and the database is unchanged.

"Unchanged" is checked on every row of every table of the portal's schema, read through the test's
own connection (a failed import inside the test's transaction would be invisible to pg_dump).
A SIGKILL in the middle of saving is checked on a throw-away PostgreSQL with a real subprocess.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from replies.models import Reply
from tests.throwaway import postgres_fixture
from tools.live_server import PYTHON, ROOT, all_rows, manage, migrated_database, portal_environment

BUNDLED = ROOT / "fixtures" / "itib-2023-24.txt"
TEXT = BUNDLED.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
SMALL_FILES = ("tests/data/edb-2022-23.txt", "tests/data/fstb-tsy-2024-25.txt")
CORRECTION = ("答覆：", "答覆： 【更正】")  # every reply of the bundled file gains a visible correction mark


def with_line(number: int, old: str, new: str) -> str:
    """The bundled text with `old` replaced by `new` on line `number` (1-based)."""
    lines = list(LINES)
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new)
    return "\n".join(lines)


def database_rows() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        return all_rows(cursor)


def import_bytes(tmp_path, data: bytes, *options: str) -> str:
    path = tmp_path / "replies.txt"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_replies", *options, str(path), stdout=out)
    return out.getvalue()


FAULTS = {
    "truncated": (
        TEXT[: len(TEXT) * 2 // 3].encode(),
        'line 25146: truncated file: the reply to question 2440 (line 25072) ends before "– 完 –"',
    ),
    "index-without-bodies": (
        "\n".join(LINES[:590]).encode(),
        "line 22: truncated file: index entry ITIB001 has no reply body",
    ),
    "big5": (
        TEXT.encode("big5", errors="replace"),
        "line 2: not UTF-8 text (byte 0xaf at offset 1): expected the UTF-8 text extracted from the PDF; "
        "the file reads as Big5: convert it first, e.g. iconv -f BIG5 -t UTF-8",
    ),
    "gbk": (
        TEXT.encode("gbk", errors="replace"),
        "line 2: not UTF-8 text (byte 0xcb at offset 1): expected the UTF-8 text extracted from the PDF; "
        "the file reads as GBK: convert it first, e.g. iconv -f GBK -t UTF-8",
    ),
    "serial-twice-in-the-index": (
        with_line(24, "ITIB002", "ITIB001").encode(),
        "line 24: duplicated serial ITIB001 in the index (first at line 22)",
    ),
    "serial-twice-in-the-bodies": (
        with_line(665, "ITIB002", "ITIB001").encode(),
        "line 662: duplicated serial ITIB001: the reply at line 591 has it too",
    ),
    "empty": (b"", "line 1: empty file: expected the index table, then the replies"),
    "only-blank-lines": (b"\n  \n\t\n", "line 1: empty file: expected the index table, then the replies"),
    "png-image": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "line 1: not UTF-8 text (byte 0x89 at offset 0): expected the UTF-8 text extracted from the PDF",
    ),
    "nul-bytes": (
        with_line(30, "ITIB005", "ITIB005\x00\x00").encode(),
        "line 30: not UTF-8 text: control character U+0000 (binary data?), expected plain text",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_a_faulty_file_is_refused_naming_the_line_and_changes_nothing(tmp_path, fault):
    data, problem = FAULTS[fault]
    before = database_rows()
    with pytest.raises(CommandError) as raised:
        import_bytes(tmp_path, data)
    assert str(raised.value) == f"{tmp_path / 'replies.txt'}: {problem} — nothing was imported"
    assert database_rows() == before


@pytest.mark.django_db
def test_an_index_that_disagrees_with_the_bodies_is_refused_unless_allowed(tmp_path):
    data = with_line(22, "陳振英 135", "陳振雄 155").encode()
    before = database_rows()
    with pytest.raises(CommandError) as raised:
        import_bytes(tmp_path, data)
    assert str(raised.value).split("\n") == [
        f"{tmp_path / 'replies.txt'}: the index disagrees with the reply bodies in 2 place(s) — nothing was imported",
        "  - ITIB001 (line 591): member is 陳振英 in the reply but 陳振雄 in the index (line 22)",
        "  - ITIB001 (line 591): head is 135 in the reply but 155 in the index (line 22)",
        "Correct the file, or import it as it is with --allow-discrepancies.",
    ]
    assert database_rows() == before

    output = import_bytes(tmp_path, data, "--allow-discrepancies")
    assert "  discrepancies between the index and the bodies: 2" in output
    reply = Reply.objects.get(year__label="2023-24", serial="ITIB001")
    assert (reply.member.name, reply.head.number) == ("陳振英", 135)  # the body wins, as printed


@pytest.mark.django_db
def test_a_corrected_file_updates_in_place_and_keeps_the_urls(tmp_path, client):
    before = {serial: (pk, url) for serial, pk, url in reply_urls()}
    first_try = TEXT.encode("big5", errors="replace")
    with pytest.raises(CommandError):
        import_bytes(tmp_path, first_try)
    output = import_bytes(tmp_path, TEXT.replace(*CORRECTION).encode())
    assert "263 replies for 2023-24 (0 new, 263 updated)" in output
    assert {serial: (pk, url) for serial, pk, url in reply_urls()} == before
    response = client.get("/api/replies/2023-24/ITIB005/")
    assert response.status_code == 200
    assert response.json()["reply"].startswith("【更正】")
    assert response.json()["url"].endswith(before["ITIB005"][1])


def reply_urls():
    return [(reply.serial, reply.pk, reply.get_absolute_url()) for reply in Reply.objects.order_by("serial")]


# A SIGKILL in the middle of saving ------------------------------------------------------------


postgres = postgres_fixture("sigkill")


def writing_to_replies(url: str) -> bool:
    """True once another backend holds a write lock on the replies table: the import is saving."""
    with psycopg.connect(url, autocommit=True) as conn:
        return bool(conn.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'replies_reply' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()"
        ).fetchone()[0])


def no_other_backend(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as conn:
        return not conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]


def wait_for(condition, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"{condition.__name__} never became true"
        time.sleep(0.02)


@pytest.mark.slow
def test_an_import_killed_while_saving_leaves_the_previous_data_intact(postgres):
    """Two small sessions are in the database; the 263 replies of the bundled file are being saved when
    the import is killed: none of them may remain, and nothing of the previous data may change."""
    url = migrated_database(postgres, "portal_kill", *SMALL_FILES)
    before = postgres.rows("portal_kill")
    assert len(before["replies_reply"]) == 5

    importer = subprocess.Popen(
        [PYTHON, "manage.py", "import_replies", str(BUNDLED)],
        cwd=ROOT, env=portal_environment(url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: writing_to_replies(url) or importer.poll() is not None)
    assert importer.poll() is None, "the import finished before it could be killed"
    os.kill(importer.pid, signal.SIGKILL)
    assert importer.wait() == -signal.SIGKILL
    wait_for(lambda: no_other_backend(url))

    assert postgres.rows("portal_kill") == before
    again = manage(portal_environment(url), "import_replies", SMALL_FILES[0])
    assert "2 replies for 2022-23 (0 new, 2 updated)" in again.stdout
