"""import_replies end to end: summary, re-import in place, and all-or-nothing on a bad file."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from replies.models import Head, Member, Programme, Reply

pytestmark = pytest.mark.django_db
BUNDLED = "fixtures/itib-2023-24.txt"


def run_import(*args: str) -> str:
    out = io.StringIO()
    call_command("import_replies", *args, stdout=out)
    return out.getvalue()


def database_dump() -> list[tuple]:
    """Every row of every portal table, to prove a failed import changed nothing."""
    rows = []
    with connection.cursor() as cursor:
        for table in ("replies_year", "replies_member", "replies_head", "replies_programme",
                      "replies_reply", "replies_reply_programmes", "replies_sourcefile"):
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")
            rows.append((table, cursor.fetchall()))
    return rows


def test_the_bundled_file_summary():
    output = run_import(BUNDLED)
    assert "263 replies for 2023-24" in output
    for line in ("head 47: 106 replies", "head 111: 1 reply", "head 135: 95 replies",
                 "head 155: 61 replies", "members: 58", "discrepancies between the index and the bodies: none"):
        assert line in output
    assert Reply.objects.count() == 263
    assert Member.objects.count() == 58
    assert sorted(Head.objects.values_list("number", flat=True)) == [47, 111, 135, 155]


def test_reimport_updates_in_place_and_keeps_urls():
    before = dict(Reply.objects.values_list("serial", "pk"))
    output = run_import(BUNDLED)
    assert "(0 new, 263 updated)" in output
    assert dict(Reply.objects.values_list("serial", "pk")) == before
    assert Programme.objects.count() == Programme.objects.values("head", "number").distinct().count()


def test_if_new_skips_a_file_already_imported():
    run_import(BUNDLED)
    assert "already imported" in run_import("--if-new", BUNDLED)


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "line 1"),
        ("審核二零二三至二四年度開支預算\n".encode() * 3, "index"),
        ("測試".encode("big5") + b"\n\xa4\xa4\xa4\xe5\n", "UTF-8"),
        (bytes(range(256)) * 4, "UTF-8"),
    ],
    ids=["empty", "no-index", "big5", "binary"],
)
def test_a_malformed_file_names_the_problem_and_changes_nothing(tmp_path, content, expected):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = database_dump()
    with pytest.raises(CommandError) as error:
        run_import(str(path))
    assert expected in str(error.value)
    assert "nothing was imported" in str(error.value)
    assert database_dump() == before


def test_a_truncated_file_changes_nothing(tmp_path):
    text = open(BUNDLED, encoding="utf-8").read()
    path = tmp_path / "truncated.txt"
    path.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    before = database_dump()
    with pytest.raises(CommandError, match=r"line \d+"):
        run_import(str(path))
    assert database_dump() == before


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="cannot read"):
        run_import("no/such/file.txt")


def test_the_summary_counts_tables_and_those_shown_as_source_lines():
    output = run_import(BUNDLED)
    stored = [table for tables in Reply.objects.values_list("tables", flat=True) for table in tables]
    as_source = sum(not table["reconstructed"] for table in stored)
    assert stored and as_source < len(stored)
    assert (f"tables: {len(stored)}, {len(stored) - as_source} reconstructed, "
            f"{as_source} shown as their source lines") in output


def test_reindex_rebuilds_stale_tables_and_says_how_many():
    """After a table-rule change `reindex` recomputes every reply's tables (here: ITIB010's, emptied by hand)."""
    run_import(BUNDLED)
    expected = Reply.objects.get(serial="ITIB010").tables
    Reply.objects.filter(serial="ITIB010").update(tables=[])
    out = io.StringIO()
    call_command("reindex", "--year", "2023-24", stdout=out)
    assert Reply.objects.get(serial="ITIB010").tables == expected
    stored = [table for tables in Reply.objects.values_list("tables", flat=True) for table in tables]
    as_source = sum(not table["reconstructed"] for table in stored)
    assert (f"tables: {len(stored)}, {len(stored) - as_source} reconstructed, "
            f"{as_source} shown as their source lines") in out.getvalue()
