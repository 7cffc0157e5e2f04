"""PostgreSQL stops under a running portal: pages answer 503 (no traceback), then recover by themselves.

The real portal (gunicorn, production settings) runs against a throw-away PostgreSQL in a temporary
directory; the shared server under .data/ is never touched.
"""

from __future__ import annotations

import json

import pytest

from tests.throwaway import postgres_fixture
from tools.live_server import PortalServer, migrated_database, portal_environment

pytestmark = pytest.mark.slow  # a throw-away PostgreSQL and gunicorn

EDB_FILE = "tests/data/edb-2022-23.txt"
PAGES = [
    "/",
    "/replies/2022-23/EDB045/",
    "/replies/?q=%E5%AD%B8%E5%89%8D",  # 學前
    "/api/replies/",
    "/api/replies/2022-23/EDB045/",
]


postgres = postgres_fixture("outage")


@pytest.fixture(scope="module")
def portal(postgres):
    url = migrated_database(postgres, "portal_outage", EDB_FILE)
    server = PortalServer(portal_environment(url))
    yield server
    server.close()


def test_pages_answer_503_while_the_database_is_down_and_200_once_it_is_back(portal, postgres):
    for page in PAGES:
        assert portal.get(page)[0] == 200, page
    assert json.loads(portal.get("/api/replies/")[2])["count"] == 2

    postgres.stop()
    try:
        for page in PAGES * 2:  # each gunicorn worker loses its connection
            status, headers, body = portal.get(page)
            assert status == 503, page
            assert headers["Retry-After"] == "10"
            assert "Temporarily unavailable" in body
            assert "Traceback" not in body and "OperationalError" not in body and "psycopg" not in body
    finally:
        postgres.start()

    for page in PAGES * 2:
        assert portal.get(page)[0] == 200, page
    assert json.loads(portal.get("/api/replies/")[2])["count"] == 2
