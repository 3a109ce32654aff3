"""A request that fails because the database has gone away answers 503 with a plain page, not a 500.

Django's 500 says "a problem on our side, recorded": true of a bug, misleading when PostgreSQL is restarting or
unreachable, where the right answer is "unavailable, try again" (503 with Retry-After, which proxies and
monitors understand). A database error is taken for an outage only when the database then fails a trivial
query too; an error in one query on a database that answers (a missing table, a bad statement) stays a 500.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

from catalogue.health import database_answers

logger = logging.getLogger("django.request")

RETRY_AFTER_SECONDS = 30


def unavailable_response() -> HttpResponse:
    # Rendered without the request: no context processor, no session, nothing that needs the database.
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError) or database_answers():
            return None  # not a database error, or one in a query on a database that answers: Django's 500
        logger.error(
            "Service unavailable (the database does not answer): %s",
            request.path,
            exc_info=exception,
            extra={"status_code": 503, "request": request},
        )
        return unavailable_response()
