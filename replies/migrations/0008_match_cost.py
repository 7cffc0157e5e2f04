"""Tell the planner what testing a tsvector costs (``@@``, the function ts_match_vq): reading it from TOAST, which
for a match vector of a few kilobytes is hundreds of times an ordinary operator. At the default cost of one
operator, a query over a common term (or several, or with an exclusion) was planned as a scan reading every
reply's match vector (seconds at 200,000 replies) instead of the GIN index (milliseconds).

The cost is a property of the function in this database, which only a superuser may change (the embedded
server's user is one). Without the privilege the migration says what to ask an administrator to run and goes
on: results are the same, only some broad queries are slower.
"""

import sys

from django.db import migrations
from django.db.utils import ProgrammingError

MATCH_COST = 1000
STATEMENT = f"ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST {MATCH_COST}"


def _superuser(cursor) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return cursor.fetchone()[0]


def set_match_cost(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if not _superuser(cursor):
            sys.stderr.write(f"\n  note: not a superuser, so the planner keeps the default cost of @@; for the fast "
                             f"plans of broad searches, a superuser can run in this database: {STATEMENT};\n")
            return
        try:
            cursor.execute(STATEMENT)
        except ProgrammingError as error:  # never seen: a superuser may alter any function
            sys.stderr.write(f"\n  note: {STATEMENT} failed ({error}); searches stay exact\n")


def reset_match_cost(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if _superuser(cursor):
            cursor.execute("ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST 1")


class Migration(migrations.Migration):

    dependencies = [
        ("replies", "0007_commonstring"),
    ]

    operations = [migrations.RunPython(set_match_cost, reset_match_cost)]
