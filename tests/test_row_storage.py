"""The small reading columns stay in the replies' rows (migration 0013): the listing's facets and pages read them for
every match, and a value in the TOAST table cost a lookup each (the table's rows are kept narrow, so a fresh
insert moved every value longer than a TOAST pointer out of the row)."""

import pytest
from django.db import connection

from replies.models import Reply


@pytest.mark.django_db
def test_subject_keywords_and_not_provided_kinds_are_kept_in_the_row():
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'replies_reply'::regclass "
                       "AND attname IN ('subject', 'keywords', 'subject_names', 'not_provided_kinds')")
        assert dict(cursor.fetchall()) == {"subject": "m", "keywords": "m", "subject_names": "m",
                                           "not_provided_kinds": "m"}


@pytest.mark.django_db
def test_reading_a_subject_costs_no_toast_lookup():
    """The bundled replies were inserted whole, by the import: reading every subject and not-provided kind touches
    the table's own pages only (a TOAST lookup would show as more buffers than the table has pages)."""
    assert Reply.objects.exclude(subject="").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('replies_reply') / current_setting('block_size')::int")
        (pages,) = cursor.fetchone()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT sum(length(subject)), "
                       "sum(cardinality(not_provided_kinds)) FROM replies_reply")
        plan = cursor.fetchone()[0][0]["Plan"]
    assert plan["Shared Hit Blocks"] + plan["Shared Read Blocks"] <= pages
