"""Add meta_vector (member + question lexemes, the first ranking key) and fill every search column.

The data step computes the columns with the historical models, so a database imported before search existed
becomes searchable on `migrate`; afterwards import and `manage.py reindex` keep them current.
"""

import django.contrib.postgres.search
from django.db import migrations


def fill_search_columns(apps, schema_editor):
    from replies.search_index import index_replies
    from search.common_strings import CommonStrings

    index_replies(apps.get_model("replies", "Reply").objects.all(), common=CommonStrings(()))


class Migration(migrations.Migration):

    dependencies = [
        ("replies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reply",
            name="meta_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill_search_columns, migrations.RunPython.noop, elidable=True),
    ]
