"""What the reader gets when the per-statement time limit (settings.STATEMENT_TIMEOUT) cancels a query: a page in
the site's layout, or the API's JSON error, saying the search was too broad and how to narrow it; never a 500.

Status 503, not 400: the request is valid, and whether it fits in the limit depends on how busy the server is,
so the same URL may be answered later; a 5xx also keeps these refusals visible to whoever watches the error
rates, where a 4xx would count them as the reader's mistakes. No Retry-After: narrowing helps, waiting may not.
"""

from __future__ import annotations

import logging

import psycopg
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

STATUS = 503
logger = logging.getLogger("portal.database")


def cancelled_by_time_limit(error: BaseException | None) -> bool:
    """Whether ``error`` is PostgreSQL cancelling a statement (statement_timeout), as Django raises it."""
    return isinstance(error, OperationalError) and isinstance(error.__cause__, psycopg.errors.QueryCanceled)


def too_broad_message() -> str:
    return _(
        "This search asks for more than the portal can work out in the time it allows one query. "
        "Narrow it: add words to the search or choose filters (a year, a head, a member), then try again."
    )


def too_broad(request) -> HttpResponse:
    """The API's JSON error (in English, like its other messages) or the page, both saying how to narrow it."""
    logger.warning("statement time limit reached: %s", request.get_full_path())
    if request.path.startswith(reverse("api-docs")):
        with translation.override("en"):
            response = JsonResponse({"detail": too_broad_message()}, status=STATUS)
    else:
        response = render(request, "query_too_broad.html", {"message": too_broad_message()}, status=STATUS)
    response["Cache-Control"] = "no-store"
    return response
