"""Production settings: `check --deploy` is clean, and a real gunicorn answers with the security headers."""

from __future__ import annotations

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from portal.database_outage import server_error
from portal.dburl import url_of
from tools.live_server import PortalServer, manage, portal_environment

CSP = "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"


def production_environment(**overrides: str) -> dict[str, str]:
    """What README.md's "Production" section asks for; the database is whatever the tests use."""
    return portal_environment("", DJANGO_ALLOWED_HOSTS="portal.example", **overrides)


def deploy_check(env: dict[str, str]):
    env = {key: value for key, value in env.items() if value != ""}  # no DATABASE_URL: the embedded server
    return manage(env, "check", "--deploy", "--fail-level", "WARNING", check=False)


@pytest.mark.slow
def test_check_deploy_is_clean_with_the_documented_production_variables():
    result = deploy_check(production_environment())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.slow
def test_behind_a_proxy_that_redirects_to_https_itself_only_that_check_is_silenced():
    result = deploy_check(production_environment(DJANGO_SECURE_SSL_REDIRECT="0"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key():
    env = production_environment()
    del env["DJANGO_SECRET_KEY"]
    result = deploy_check(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


@pytest.mark.slow
def test_the_development_key_is_refused_by_the_deploy_check():
    result = deploy_check(production_environment(DJANGO_SECRET_KEY="insecure-development-key"))
    assert result.returncode == 1
    assert "security.W009" in result.stderr


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker):
    """gunicorn in production mode on the test database (already holding the bundled replies)."""
    from django.db import connection

    with django_db_blocker.unblock():
        config = connection.settings_dict
        url = url_of(config)
    server = PortalServer(portal_environment(url))
    yield server
    server.close()


@pytest.mark.slow
def test_a_response_carries_every_security_header(portal):
    status, headers, body = portal.get("/api/replies/?page_size=1")
    assert status == 200
    assert json.loads(body)["count"] == 263
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.slow
def test_plain_http_is_redirected_to_https(portal):
    status, headers, _ = portal.get("/api/replies/", https=False)
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{portal.port}/api/replies/"


@pytest.mark.slow
def test_cookies_are_https_only_and_hidden_from_scripts(portal):
    status, headers, body = portal.get("/admin/login/")
    assert status == 200
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("csrftoken=")
    assert "Secure" in cookie and "SameSite=Lax" in cookie
    assert 'name="csrfmiddlewaretoken"' in body


@pytest.mark.slow
def test_static_files_are_served_by_whitenoise_with_the_headers(portal):
    status, headers, body = portal.get("/static/admin/css/base.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert headers["Content-Security-Policy"] == CSP
    assert "body" in body


@pytest.mark.slow
def test_an_unknown_page_is_a_plain_404_without_debug_details(portal):
    status, headers, body = portal.get("/no/such/page/")
    assert status == 404
    assert "Traceback" not in body and "urlpatterns" not in body
    assert headers["Content-Security-Policy"] == CSP


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_the_500_handler_answers_503_when_the_database_is_the_cause(error):
    request = RequestFactory().get("/replies/2023-24/ITIB001/")
    try:
        raise error
    except type(error):
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Temporarily unavailable" in response.content.decode()
    assert "closed" not in response.content.decode()


def test_the_500_handler_shows_a_short_page_for_any_other_error():
    try:
        raise ValueError("secret detail")
    except ValueError:
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Server error" in response.content.decode()
    assert "secret detail" not in response.content.decode()
