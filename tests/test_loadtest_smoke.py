"""The load test keeps working: 2 clients for 2 seconds against the real portal under gunicorn, then the outage
mode's 503-then-recovery accounting, on a throw-away PostgreSQL holding the bundled replies."""

from __future__ import annotations

import pytest

from tests.throwaway import postgres_fixture
from tools import loadtest
from tools.live_server import PortalServer, migrated_database, portal_environment

pytestmark = pytest.mark.slow  # a throw-away PostgreSQL and gunicorn

REPLIES_FILE = "fixtures/itib-2023-24.txt"  # the request mix names its replies

postgres = postgres_fixture("loadtest")


@pytest.fixture(scope="module")
def portal(postgres):
    url = migrated_database(postgres, "portal_loadtest", REPLIES_FILE)
    server = PortalServer(portal_environment(url, DJANGO_SECURE_SSL_REDIRECT="0"))
    yield server
    server.close()


def test_two_clients_for_two_seconds_get_only_200s_with_figures_per_kind(portal):
    result = loadtest.measure_load(portal.port, clients=2, seconds=2, workers=2)
    assert result["requests"] > 0 and result["errors"] == 0
    assert result["statuses"] == {"200": result["requests"]}
    assert set(result["kinds"]) <= {kind for kind, _ in loadtest.request_mix([1])}
    assert all(kind["p50_ms"] <= kind["p95_ms"] <= kind["p99_ms"] for kind in result["kinds"].values())


def test_the_outage_mode_counts_503s_and_sees_the_portal_recover(portal, postgres):
    result = loadtest.measure_outage(portal.port, postgres, clients=2, seconds=6, gap=2, workers=2)
    assert result["problems"] == []  # only 200s and clean 503 pages: no traceback, no hung request
    assert result["unavailable_503"] > 0
    assert result["non_200_after_restart"] == 0 and result["after_restart_requests"] > 0
