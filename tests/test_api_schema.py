"""The OpenAPI document is valid, documents every parameter, and the API keeps what it promises (schemathesis)."""

from __future__ import annotations

import re

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import translation
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)")
LIST_PARAMETERS = {"q", "year", "member", "head", "programme", "subhead", "not_provided", "ordering", "page", "page_size"}


def openapi_document(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(client):
    document = openapi_document(client)
    assert document["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(document).validate()  # against the OpenAPI 3 meta-schema; raises if invalid


def test_the_list_endpoint_documents_every_query_parameter(client):
    operation = openapi_document(client)["paths"]["/api/replies/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == LIST_PARAMETERS
    assert all(p["in"] == "query" and p["description"] for p in parameters.values())
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert "relevance" in parameters["ordering"]["schema"]["enum"]
    assert set(operation["responses"]) == {"200", "400", "404"}


def test_the_detail_endpoint_is_documented(client):
    operation = openapi_document(client)["paths"]["/api/replies/{year}/{serial}/"]["get"]
    assert {(p["name"], p["in"], p["required"]) for p in operation["parameters"]} == {
        ("year", "path", True),
        ("serial", "path", True),
    }
    assert set(operation["responses"]) == {"200", "404"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ReplyDetail"}


@translation.override("en")
def test_the_api_page_documents_parameters_with_examples_and_no_scripts(client):
    response = client.get("/api/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in LIST_PARAMETERS:
        assert f"<code>{name}</code>" in page
    assert "<code>GET /api/replies/{year}/{serial}/</code>" in page
    assert "curl 'http://testserver/api/replies/?q=%E6%95%B0%E7%A0%81%E6%B8%AF&amp;page_size=50'" in page
    assert "&quot;serial&quot;: &quot;ITIB001&quot;" in page  # a real reply as the API returns it
    assert not INLINE_SCRIPT.search(page) and "style=" not in page  # CSP: scripts only from files
    assert "swagger" not in page.lower() and "cdn" not in page.lower()  # works offline


def test_the_documented_error_examples_are_what_the_api_says(client):
    paths = openapi_document(client)["paths"]
    responses = paths["/api/replies/"]["get"]["responses"]
    bad_request = client.get("/api/replies/", {"head": "forty-seven"})
    assert bad_request.status_code == 400
    assert bad_request.json() == responses["400"]["content"]["application/json"]["examples"]["BadHead"]["value"]
    past_the_end = client.get("/api/replies/", {"page": 99})
    assert past_the_end.status_code == 404
    assert past_the_end.json() == responses["404"]["content"]["application/json"]["examples"]["NotFound"]["value"]
    detail_responses = paths["/api/replies/{year}/{serial}/"]["get"]["responses"]
    unknown = client.get("/api/replies/2023-24/ITIB999/")
    assert unknown.status_code == 404
    assert unknown.json() == detail_responses["404"]["content"]["application/json"]["examples"]["NotFound"]["value"]


@pytest.fixture
def wsgi_app_in_the_test_transaction():
    """The real WSGI application, kept from closing the test's connection between requests (as Django's own
    test client does), so generated requests see the imported replies."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


SCHEMA_CHECKED_PATHS = ["/api/replies/", "/api/replies/{year}/{serial}/"]


def test_the_generated_requests_cover_every_documented_operation(client):
    """A new operation in the schema must join test_the_api_keeps_to_its_schema below."""
    paths = openapi_document(client)["paths"]
    assert {(path, method) for path, item in paths.items() for method in item} == {
        (path, "get") for path in SCHEMA_CHECKED_PATHS
    }


@pytest.mark.parametrize("path", SCHEMA_CHECKED_PATHS)
def test_the_api_keeps_to_its_schema(path, wsgi_app_in_the_test_transaction):
    """Generated requests: never a 500, only documented status codes, bodies matching the schema."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app_in_the_test_transaction)
    operation = schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    def keeps_to_schema(case):
        # A schema-valid value may still be refused with the documented 400 (a NUL character, a q with no
        # searchable term), so "valid data is always accepted" is not a promise this API makes.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    keeps_to_schema()
