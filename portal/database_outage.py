"""A database that is down answers 503 "try again shortly", never a traceback.

`CONN_HEALTH_CHECKS` (settings) drops a dead persistent connection at the start of the next
request, so once PostgreSQL is back the portal serves again without a restart.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

from portal.query_time_limit import cancelled_by_time_limit, too_broad

logger = logging.getLogger("portal.database")
RETRY_AFTER_SECONDS = 10
DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(request, error: Exception) -> HttpResponse:
    """The 503 page, rendered without context processors (they may need the database too)."""
    logger.error("database unavailable for %s: %s", request.path, error)
    body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Turns a database connection failure raised by a view into the 503 page (DEBUG on or off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if cancelled_by_time_limit(exception):  # the database is there; the query was too broad
            return too_broad(request)
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None


def server_error(request):
    """handler500: also catches a database failure outside a view (e.g. a middleware saving the session)."""
    error = sys.exc_info()[1]
    if cancelled_by_time_limit(error):
        return too_broad(request)
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable(request, error)
    return HttpResponseServerError(loader.get_template("500.html").render())
