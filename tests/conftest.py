"""The test database holds the bundled replies, imported once per run through the real command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from portal.embedded_db import EmbeddedDatabaseError, start_embedded_database


_development_database: list[str] = []  # the default database's name before any test database replaced it


def pytest_configure(config):
    """A plain `pytest` run starts the embedded server as manage.py does (importing the settings starts nothing)."""
    from django.conf import settings

    _development_database.append(settings.DATABASES["default"]["NAME"])
    try:
        start_embedded_database()
    except EmbeddedDatabaseError as error:
        raise pytest.UsageError(str(error)) from error


def pytest_collection_modifyitems(items):
    """Browser tests are slow by nature: `pytest -m "not slow"` leaves them out with the other slow ones."""
    for item in items:
        if item.get_closest_marker("browser") or "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """The test database, with the bundled replies imported.

    pytest-django creates it only when some collected test carries the django_db mark; tests that only serve it
    to another process (gunicorn, the browser tests' live server) do not, so a run of those alone would have
    imported into the development database. They get a test database here too."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        created = None
        if connection.settings_dict["NAME"] == _development_database[0]:
            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        call_command("import_replies", stdout=io.StringIO())
    yield
    if created is not None:
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=0)


@pytest.fixture
def api(client):
    """GET a JSON API path and return (status, parsed body)."""

    def get(path: str, **params):
        response = client.get(path, params)
        return response.status_code, response.json()

    return get


@pytest.fixture
def alias_table_read(db):
    """The alias table read into this process's cache (replies.aliases) before the test: a test that counts a
    request's statements must not count the read the cache makes now and then."""
    from replies.aliases import table

    table()
