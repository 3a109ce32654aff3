"""With DEBUG off, a failing view shows the plain error page: no stack trace, no setting, no secret, no SQL.
The error is logged with what is needed to act on it: the path, the method, the exception and its traceback."""

import logging

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from config.security import RequestContextFilter

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.config.urls_boom")]

LEAKS = ["Traceback", "RuntimeError", "hunter2", "secret sauce", "no_such_table", "SECRET_KEY", "settings.py", 'File "']


# What a query of a missing table raises, on each database.
RAISED_BY_DATABASE = {"sqlite": "OperationalError", "postgresql": "ProgrammingError"}


@pytest.mark.parametrize("path", ["/boom/", "/bad-sql/"])
def test_a_server_error_shows_no_trace_or_secret_and_is_logged_with_context(client, caplog, path):
    assert settings.DEBUG is False
    client.raise_request_exception = False
    caplog.set_level(logging.ERROR, logger="django.request")
    response = client.get(path + "?q=x", HTTP_USER_AGENT="tester")
    assert response.status_code == 500
    body = response.content.decode()
    for leak in [*LEAKS, settings.SECRET_KEY]:
        assert leak not in body, leak
    assert "text/html" in response["Content-Type"]
    records = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert records, "the error is logged"
    record = records[0]
    assert path in record.getMessage()
    assert record.exc_info is not None  # the traceback goes to the log, not the page
    assert record.request.method == "GET" and record.request.get_full_path() == path + "?q=x"
    assert record.status_code == 500
    # The log line itself names the request: method, path with its query, user, address.
    formatted = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])
    RequestContextFilter().filter(record)
    line = formatted.format(record)
    assert f"[GET {path}?q=x user=anonymous ip=127.0.0.1]" in line
    raised = "RuntimeError" if path == "/boom/" else RAISED_BY_DATABASE[connection.vendor]
    assert f"\n{raised}: " in line or f".{raised}: " in line  # the traceback, ending with the exception


def test_debug_pages_are_never_shown_even_for_a_missing_page(client):
    response = client.get("/no-such-page/?debug=1")
    assert response.status_code == 404
    body = response.content.decode()
    assert "URLconf" not in body and "Using the URLconf" not in body and "Traceback" not in body


@override_settings(DEBUG=False)
def test_a_bad_host_is_refused_plainly(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "ALLOWED_HOSTS" not in response.content.decode()
