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
from replies.filters import MAX_INT, ReplyFilter
from replies.models import Reply
from replies.pagination import MAX_PAGE_SIZE

ORDERINGS = [key for key, _label in ReplyFilter.base_filters["ordering"].extra["choices"]]
QUERY = OpenApiParameter.QUERY


def text(name: str, **schema) -> dict:
    """A string parameter's schema, with the length ReplyFilter accepts (longer is a 400)."""
    declared = ReplyFilter.base_filters.get(name)
    limit = declared.extra.get("max_length") if declared is not None else None
    return {"type": "string", **({"maxLength": limit} if limit else {}), **schema}


PATH = OpenApiParameter.PATH
NUMBER = {"type": "integer", "minimum": 0, "maximum": MAX_INT}
LIST_PARAMETERS = [
    OpenApiParameter("q", text("q"), QUERY, description=(
        'Search words, in Traditional or Simplified Chinese or English. Terms separated by spaces must all match; '
        '"…" keeps a phrase together, OR between terms matches either, -term excludes. With q the default order '
        "is relevance and each result carries a highlighted snippet."), examples=[OpenApiExample("Simplified", "数码港")]),
    OpenApiParameter("year", text("year", pattern=r"^\d{4}-\d{2}$"), QUERY, description="Budget year, e.g. 2023-24."),
    OpenApiParameter("member", text("member"), QUERY, description="The member's name exactly as listed, e.g. 吳永嘉."),
    OpenApiParameter("head", NUMBER, QUERY, description="Head of expenditure number, e.g. 47."),
    OpenApiParameter("programme", NUMBER, QUERY, description="Programme number (combine with head), e.g. 3."),
    OpenApiParameter("subhead", text("subhead"), QUERY, description="Subhead code or title."),
    OpenApiParameter("ordering", str, QUERY, enum=ORDERINGS, description=(
        "relevance (the default with q), serial (the default without), question_serial or member; "
        "a leading - reverses the last three.")),
    OpenApiParameter("page", {"type": "integer", "minimum": 1}, QUERY, description="Page number, from 1. "
                     "A page past the end answers 404."),
    OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}, QUERY,
                     description=f"Replies per page, 1 to {MAX_PAGE_SIZE} (default 20)."),
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
    description="Every reply matching the filters, a page at a time: {count, next, previous, results}.",
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
    responses={200: api.ReplySerializer, 404: REPLY_NOT_FOUND},
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
