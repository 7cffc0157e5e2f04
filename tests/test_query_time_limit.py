"""A query that runs past the per-statement time limit (settings.STATEMENT_TIMEOUT) is stopped by PostgreSQL, and
the reader is asked to narrow the search: a 503 page in the site's layout, or the API's JSON error; never a 500.
Management commands have no limit."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.utils.http import urlencode

from portal.dburl import url_of
from tools.live_server import PortalServer, manage, portal_environment

pytestmark = pytest.mark.django_db

# Forty terms, any of which may match: the listing's one pass over the matches (count and facets) cannot be done
# in a millisecond, on any machine.
BROAD = urlencode({"q": " OR ".join(["數碼", "資訊", "科技", "政府", "發展", "計劃", "推行", "服務", "香港", "開支"] * 4)})
MESSAGE = "This search asks for more than the portal can work out in the time it allows one query."
MESSAGE_ZH_HANT = "這項搜尋所需的運算超出本網站容許每項查詢的時間"


@contextmanager
def time_limit(limit: str):
    """Each statement of the block limited to ``limit``, as the setting limits a web process's connection; a
    savepoint is rolled back after, since a cancelled statement aborts the test's transaction."""
    savepoint = transaction.savepoint()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = %s", [limit])
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def show_statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def test_the_connections_of_a_process_that_serves_requests_carry_the_limit(settings):
    assert settings.STATEMENT_TIMEOUT != "0"
    assert show_statement_timeout() == settings.STATEMENT_TIMEOUT


@pytest.mark.parametrize(
    ("path", "words"),
    [(f"/en/replies/?{BROAD}", MESSAGE), (f"/replies/?{BROAD}", MESSAGE_ZH_HANT), (f"/en/replies/feed/?{BROAD}", MESSAGE),
     (f"/en/replies/export.csv?{BROAD}", MESSAGE)],
)
def test_a_page_whose_query_is_stopped_asks_to_narrow_the_search(client, path, words):
    with time_limit("1ms"):
        response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 503
    assert words in html and '<nav class="switches"' in html  # in the site's layout
    assert "Traceback" not in html and "QueryCanceled" not in html and "statement timeout" not in html


def test_the_api_answers_json_with_the_same_message(client):
    with time_limit("1ms"):
        response = client.get(f"/api/replies/?{BROAD}")
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith(MESSAGE)


def test_within_the_limit_the_same_search_is_answered(client):
    with time_limit("60s"):
        assert client.get(f"/en/replies/?{BROAD}").status_code == 200


@pytest.fixture(scope="module")
def test_database_url(django_db_setup, django_db_blocker):
    """The test database's URL without this process's session options (they would win over the child's own)."""
    with django_db_blocker.unblock():
        config = connection.settings_dict
    options = {key: value for key, value in config["OPTIONS"].items() if key != "options"}
    return url_of({**config, "OPTIONS": options})


@pytest.mark.slow
def test_the_environment_variable_limits_the_web_server_and_not_the_commands(test_database_url):
    env = portal_environment(test_database_url, PORTAL_STATEMENT_TIMEOUT="1ms")
    with PortalServer(env) as portal:
        status, _, body = portal.get(f"/en/replies/?{BROAD}")
        assert status == 503 and MESSAGE in body
        status, _, body = portal.get(f"/api/replies/?{BROAD}")
        assert status == 503 and json.loads(body)["detail"].startswith(MESSAGE)
    shown = manage(env, "shell", "-c", "from django.db import connection; c = connection.cursor(); "
                   "c.execute('SHOW statement_timeout'); print(c.fetchone()[0])")
    assert shown.stdout.split()[-1] == "0"  # after what the shell says it imported
