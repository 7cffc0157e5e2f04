"""The API's documentation: OpenAPI annotations for /api/schema/ and the readable /api/ page built from them.

The page is rendered on the server from the same schema document, so the two can never disagree.
"""

from __future__ import annotations

import json
from functools import lru_cache

from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from replies import api
from replies.listing_vocabulary import (
    ANY_NOT_PROVIDED,
    MAX_INT,
    MAX_PAGE_SIZE,
    NOT_PROVIDED_KINDS,
    ORDERINGS,
    PAGE_HELP,
    PAGE_PARAMETER,
    PAGE_SIZE_HELP,
    PAGE_SIZE_PARAMETER,
    PARAMETERS,
    YEAR_PATTERN,
)
from replies.models import Reply

QUERY = OpenApiParameter.QUERY
PATH = OpenApiParameter.PATH
NUMBER = {"type": "integer", "minimum": 0, "maximum": MAX_INT}


def text(name: str, **schema) -> dict:
    """A string parameter's schema, with the length ReplyFilter accepts (longer is a 400)."""
    limit = PARAMETERS[name].max_length
    return {"type": "string", **({"maxLength": limit} if limit else {}), **schema}


def listing_parameter(name: str, schema, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(name, schema, QUERY, description=PARAMETERS[name].help_text, **kwargs)


LIST_PARAMETERS = [
    listing_parameter("q", text("q"), examples=[OpenApiExample("Simplified", "数码港")]),
    listing_parameter("year", text("year", pattern=YEAR_PATTERN)),
    listing_parameter("member", text("member")),
    listing_parameter("head", NUMBER),
    listing_parameter("programme", NUMBER),
    listing_parameter("subhead", text("subhead")),
    listing_parameter("not_provided", str, enum=[*NOT_PROVIDED_KINDS, ANY_NOT_PROVIDED]),
    listing_parameter("ordering", str, enum=list(ORDERINGS)),
    OpenApiParameter(PAGE_PARAMETER, {"type": "integer", "minimum": 1}, QUERY, description=PAGE_HELP),
    OpenApiParameter(PAGE_SIZE_PARAMETER, {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}, QUERY,
                     description=PAGE_SIZE_HELP),
]
BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="A parameter is not valid: each bad parameter maps to a list of messages (in Traditional Chinese).",
    examples=[OpenApiExample("Bad head", {"head": ["輸入整數"]}, response_only=True, status_codes=["400"])],
)


def not_found(description: str, detail: str) -> OpenApiResponse:
    example = OpenApiExample("Not found", {"detail": detail}, response_only=True, status_codes=["404"])
    return OpenApiResponse(OpenApiTypes.OBJECT, description=description, examples=[example])


PAGE_NOT_FOUND = not_found("A page past the end.", "無效的頁面。")
REPLY_NOT_FOUND = not_found("No reply with this year and serial.", "No Reply matches the given query.")


@extend_schema_view(get=extend_schema(
    operation_id="replies_list",
    summary="Search and filter replies",
    description=("Every reply matching the filters, a page at a time: {count, next, previous, expanded, results}. "
                 "An unquoted term of q that names a body, scheme, fund or place in the alias table (資科辦, OGCIO, "
                 "政府資訊科技總監辦公室) also finds its other names; `expanded` lists them per term."),
    parameters=LIST_PARAMETERS,
    responses={200: api.ReplySerializer(many=True), 400: BAD_REQUEST, 404: PAGE_NOT_FOUND},
))
class DocumentedReplyList(api.ReplyListAPI):
    """The list endpoint, unchanged, with its parameters described for the schema."""


@extend_schema_view(get=extend_schema(
    operation_id="replies_retrieve",
    summary="One reply",
    description="One Controlling Officer's reply, by budget year and reply serial.",
    parameters=[
        OpenApiParameter("year", str, PATH, description="Budget year, e.g. 2023-24."),
        OpenApiParameter("serial", str, PATH, description="Reply serial, e.g. ITIB001."),
    ],
    responses={200: api.ReplyDetailSerializer, 404: REPLY_NOT_FOUND},
))
class DocumentedReplyDetail(api.ReplyDetailAPI):
    """The detail endpoint, unchanged, with its path parameters described for the schema."""


@lru_cache(maxsize=1)
def schema_document() -> dict:
    """The OpenAPI document as plain data (it only changes with the code)."""
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


def operations(schema: dict) -> list[dict]:
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = [(status, body.get("description", "")) for status, body in operation["responses"].items()]
            found.append({"method": method.upper(), "path": path, "operation": operation, "responses": responses})
    return found


def example_reply() -> str:
    """A real reply as the API returns it, its long texts shortened to keep the page readable."""
    reply = Reply.objects.with_related().first()
    if reply is None:
        return ""
    data = dict(api.ReplySerializer(reply, context={"search_query": None}).data)
    for field in ("question", "reply"):
        data[field] = data[field][:60] + "…"
    return json.dumps(data, ensure_ascii=False, indent=2)


@require_safe
def api_documentation(request):
    schema = schema_document()
    context = {
        "info": schema["info"],
        "operations": operations(schema),
        "example_reply": example_reply(),
        "base_url": request.build_absolute_uri("/api/"),
    }
    return render(request, "api/documentation.html", context)
