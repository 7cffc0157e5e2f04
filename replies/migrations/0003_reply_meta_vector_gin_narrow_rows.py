"""GIN index on meta_vector, and narrow heap rows (toast_tuple_target = 128).

Why narrow rows: a search for a common term reads the heap row of every match (for the count's recheck, the
facets and the sort keys). With the default target a row keeps its question, meta_vector and search_text inline
(over a kilobyte); with 128 bytes the large values move to TOAST, the heap shrinks several fold and a scan of
many matches reads that many fewer pages. Rows written before this
migration keep their layout until they are rewritten (`manage.py reindex` rewrites every row).
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("replies", "0002_reply_meta_vector"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reply",
            index=GinIndex(fields=["meta_vector"], name="reply_meta_vector_gin"),
        ),
        migrations.RunSQL(
            "ALTER TABLE replies_reply SET (toast_tuple_target = 128)",
            "ALTER TABLE replies_reply RESET (toast_tuple_target)",
        ),
    ]
