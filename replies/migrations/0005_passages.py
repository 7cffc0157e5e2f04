"""Passages of long replies (search/passages.py): a term is confirmed in the few passages of a long reply that have
its lexemes instead of in its whole text (figures in docs/BENCHMARKS.md).

A passage's text is stored in its row (STORAGE MAIN: compressed in place if need be, never moved to TOAST), so
reading one costs a heap fetch; its match_vector is only read by the GIN index, so it may go out of line."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def fill_passages(apps, schema_editor):
    from replies.search_index import write_passages
    from search.passages import PASSAGE_MIN_CHARS

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id FROM replies_reply WHERE length(search_text) > %s ORDER BY id", [PASSAGE_MIN_CHARS])
        ids = [pk for (pk,) in cursor.fetchall()]
        for start in range(0, len(ids), 500):
            cursor.execute("SELECT id, search_text FROM replies_reply WHERE id = ANY(%s)", [ids[start : start + 500]])
            write_passages(cursor, "replies_reply", cursor.fetchall())


class Migration(migrations.Migration):

    dependencies = [
        ('replies', '0004_reply_search_text_uncompressed'),
    ]

    operations = [
        migrations.AddField(
            model_name='reply',
            name='has_passages',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.CreateModel(
            name='Passage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField()),
                ('match_vector', django.contrib.postgres.search.SearchVectorField()),
                ('reply', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='passages', to='replies.reply')),
            ],
            options={
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['match_vector'], name='passage_match_vector_gin')],
            },
        ),
        migrations.RunSQL(
            "ALTER TABLE replies_passage ALTER COLUMN text SET STORAGE MAIN, "
            "ALTER COLUMN match_vector SET STORAGE EXTERNAL",
            migrations.RunSQL.noop,
        ),
        migrations.RunPython(fill_passages, migrations.RunPython.noop, elidable=True),
    ]
