"""search_text stored uncompressed (STORAGE EXTERNAL: still out of line, not pglz-compressed).

Why: a phrase or a term of three or more characters is confirmed by finding it in the text of every candidate,
and pglz decompression was a large part of that work. The cost in disk is small because the cleaned text
compresses poorly (figures in docs/BENCHMARKS.md). Rows written before this migration keep their layout until rewritten (`manage.py reindex`).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("replies", "0003_reply_meta_vector_gin_narrow_rows"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE replies_reply ALTER COLUMN search_text SET STORAGE EXTERNAL",
            "ALTER TABLE replies_reply ALTER COLUMN search_text SET STORAGE EXTENDED",
        ),
    ]
