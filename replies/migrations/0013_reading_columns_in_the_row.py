"""Keep the small reading columns in the row (STORAGE MAIN), not in the TOAST table, and move the stored ones back.

Why: the replies table keeps its rows narrow (toast_tuple_target = 128, migration 0003), so a reply inserted
whole (every import, the bulk load) had every value longer than a TOAST pointer moved out of its row: the
subject, the keywords, the subject names and the not-provided kinds too. The listing's facets read
not_provided_kinds of every match, and each value out of the row cost a TOAST lookup: on 200,000 replies the
facets of a term in 40 % of them took 300 ms instead of about 40. Replies filled by migration 0010's UPDATE kept
them in the row, which is why a migrated database did not show it. MAIN keeps a value in the row unless the row
would not fit a page.

The UPDATE rewrites the values already stored out of the row: concatenating an empty value makes a new value,
which the toaster then places by the new storage (an unchanged value would keep its TOAST pointer). Then VACUUM,
as in 0011, since every row was rewritten; VACUUM cannot run in a transaction, hence ``atomic = False``. Safe to
run again.
"""

from django.db import migrations

SMALL_READING_COLUMNS = ("subject", "keywords", "subject_names", "not_provided_kinds")


def _storage(kind: str) -> str:
    return "; ".join(f"ALTER TABLE replies_reply ALTER COLUMN {column} SET STORAGE {kind}"
                     for column in SMALL_READING_COLUMNS)


REWRITE = """
UPDATE replies_reply SET subject = subject || '', keywords = keywords || '{}'::varchar[],
    subject_names = subject_names || '{}'::varchar[], not_provided_kinds = not_provided_kinds || '{}'::varchar[]
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("replies", "0012_uploaded_reply_files"),
    ]

    operations = [
        migrations.RunSQL(_storage("MAIN"), _storage("EXTENDED")),
        migrations.RunSQL(REWRITE, migrations.RunSQL.noop),
        migrations.RunSQL("VACUUM (ANALYZE) replies_reply", migrations.RunSQL.noop),
    ]
