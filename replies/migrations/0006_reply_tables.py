"""Reply.tables: the tables of question and reply as data (replies/tables, docs/TABLES.md), filled from the
stored text for the replies already imported."""

from django.db import migrations, models


def fill_tables(apps, schema_editor):
    from replies.tables import tables_of

    Reply = apps.get_model("replies", "Reply")
    changed = []
    for reply in Reply.objects.only("id", "question", "reply").iterator(chunk_size=2000):
        reply.tables = tables_of(reply.question, reply.reply)
        if reply.tables:
            changed.append(reply)
        if len(changed) >= 500:
            Reply.objects.bulk_update(changed, ["tables"])
            changed = []
    Reply.objects.bulk_update(changed, ["tables"])


class Migration(migrations.Migration):

    dependencies = [
        ("replies", "0005_passages"),
    ]

    operations = [
        migrations.AddField(
            model_name="reply",
            name="tables",
            field=models.JSONField(blank=True, default=list, editable=False, verbose_name="tables"),
        ),
        migrations.RunPython(fill_tables, migrations.RunPython.noop),
    ]
