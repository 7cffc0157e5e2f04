"""Common strings (search/common_strings.py): drawn from the replies already imported, which are then re-indexed
with them."""

from django.db import migrations, models


def draw_common_strings(apps, schema_editor):
    from replies.common_strings import draw, sample_texts
    from replies.search_index import index_replies
    from search.common_strings import CommonStrings

    Reply = apps.get_model("replies", "Reply")
    CommonString = apps.get_model("replies", "CommonString")
    strings = draw(sample_texts(Reply.objects.all()))
    CommonString.objects.bulk_create([CommonString(text=text) for text in sorted(strings)])
    if strings:
        index_replies(Reply.objects.all(), common=CommonStrings(strings))


class Migration(migrations.Migration):

    dependencies = [
        ("replies", "0006_reply_tables"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommonString",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.CharField(max_length=16, unique=True)),
            ],
        ),
        migrations.RunPython(draw_common_strings, migrations.RunPython.noop),
    ]
