"""No write endpoint outside the admin and the session's reply set; CSRF on every one that writes.

Walks every URL pattern of the project, so a view added later is checked without editing this file
(a new URL parameter needs a sample value in SAMPLE_VALUES).
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from replies.models import Member
from tests.throwaway import all_rows

pytestmark = pytest.mark.django_db
WRITE_METHODS = ("post", "put", "patch", "delete")
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>([^)]*)\)")


def sample_values() -> dict[str, str]:
    return {
        "year": "2023-24",
        "serial": "ITIB001",
        "member_id": str(Member.objects.get(name="陳振英").pk),
        "number": "135",
        "format": "csv",
    }


def walk(patterns, prefix: str = "", namespace: str = ""):
    """(route, URL pattern, app name) of every view, through includes and i18n prefixes."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, route, entry.app_name or namespace)
        elif isinstance(entry, URLPattern):
            yield route, entry, namespace


def concrete_path(route: str, values: dict[str, str]) -> str:
    """'replies/<str:year>/<str:serial>/' -> '/replies/2023-24/ITIB001/'; regex routes alike."""

    def value(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        assert name in values, f"add a sample value for the URL parameter {name!r} of {route!r}"
        return values[name]

    path = PARAMETER.sub(value, route)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + path


def portal_routes() -> list[tuple[str, URLPattern]]:
    """Concrete paths in the default language (its pages have no /en/-style prefix)."""
    values = sample_values()
    with translation.override(settings.LANGUAGE_CODE):
        return [
            (concrete_path(route, values), pattern)
            for route, pattern, app_name in walk(get_resolver().url_patterns)
            if app_name != "admin"
        ]


@pytest.fixture
def csrf_client() -> Client:
    """A browser that enforces CSRF and holds a valid token, as after loading any form."""
    client = Client(enforce_csrf_checks=True)
    client.get("/admin/login/")
    client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    return client


def test_the_walk_finds_the_portal_pages_and_the_reply_set():
    paths = {path for path, _ in portal_routes()}
    assert {"/api/replies/", "/api/replies/2023-24/ITIB001/", "/replies/2023-24/ITIB001/", "/heads/135/"} <= paths
    assert any(path.startswith("/set/") for path in paths)


def test_every_view_outside_the_admin_and_the_reply_set_refuses_writes(csrf_client):
    """With a valid CSRF token, only the reply set and the language switch take a POST; nothing is written."""
    before = all_rows_now()
    accepted = set()
    for path, pattern in portal_routes():
        for method in WRITE_METHODS:
            if getattr(csrf_client, method)(path).status_code not in (403, 405):
                accepted.add(pattern.name)
    assert "set_language" in accepted
    assert accepted <= {"set_language"} | reply_set_names()
    assert all_rows_now() == before


def test_every_view_that_accepts_a_write_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    for path, pattern in portal_routes():
        for method in WRITE_METHODS:
            response = getattr(client, method)(path)
            assert response.status_code in (403, 405), (method, path, response.status_code)


def test_the_admin_requires_a_login():
    response = Client().get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    change = Client().get("/admin/replies/reply/")
    assert change.status_code == 302 and change["Location"].startswith("/admin/login/")


def test_an_anonymous_write_to_the_admin_changes_nothing(csrf_client):
    before = all_rows_now()
    response = csrf_client.post("/admin/replies/member/add/", {"name": "intruder"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert all_rows_now() == before


def test_a_post_without_the_csrf_token_is_refused_even_on_the_admin_login():
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403


def reply_set_names() -> set[str]:
    return {pattern.name for path, pattern in portal_routes() if path.startswith("/set/") and pattern.name}


def all_rows_now() -> dict[str, list[str]]:
    """Every portal table but the sessions, where the reply set is meant to be written."""
    with connection.cursor() as cursor:
        rows = all_rows(cursor)
    del rows["django_session"]
    return rows
