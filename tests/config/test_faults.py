"""Faults of what the site stands on, with DEBUG off: the database going away mid-request (a plain 503 page,
/healthz 503, no trace, and recovery when it returns), the shared cache going away (every page still served),
and a PDF render that raises (the plain error page, nothing cached: the next request renders again)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse

from catalogue.models import CaseStudy
from tests.builders import complete_case
from tests.support.flaky_cache import FlakyCache

pytestmark = pytest.mark.django_db

SECRET_IN_ERROR = "connection to server at 10.9.8.7 failed: password=hunter2"
LEAKS = ["Traceback", "hunter2", "10.9.8.7", "OperationalError", "InterfaceError", 'File "']


@pytest.fixture
def case():
    return complete_case("Shared Lives")


def database_goes_away(after: int, error: type[Exception]):
    """The database answers the first `after` queries of what follows, then no more (a restart, a failover)."""
    real_cursor = connection.cursor
    calls = {"n": 0}

    def cursor(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > after:
            raise error(SECRET_IN_ERROR)
        return real_cursor(*args, **kwargs)

    return mock.patch.object(connection, "cursor", side_effect=cursor)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_database_going_away_mid_request_is_a_plain_503_and_the_site_recovers(client, case, error):
    client.raise_request_exception = False
    page = reverse("catalogue:case-detail", args=[case.slug])
    with database_goes_away(after=1, error=error):
        response = client.get(page)
        health = client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "text/html" in response["Content-Type"]
    assert "The catalogue is briefly unavailable" in body and "try again" in body
    for leak in LEAKS:
        assert leak not in body, leak
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": "unreachable", "cache": "ok"}
    assert "hunter2" not in health.content.decode()
    # The database is back: the same requests are answered as usual.
    again = client.get(page)
    assert again.status_code == 200 and "Shared Lives" in again.content.decode()
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_a_fault_in_one_query_on_a_database_that_answers_stays_a_500(client, case):
    """Only an outage is a 503: an OperationalError in a query the database refuses (a bug) is still the 500."""
    client.raise_request_exception = False
    with mock.patch.object(CaseStudy.objects, "published", side_effect=OperationalError("no such column: x")):
        response = client.get(reverse("catalogue:case-list"))
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


@pytest.fixture
def cache_gone(settings):
    """The shared cache (as Redis would) refuses every call; whole pages are cached, as in production."""
    settings.CACHES = {"default": {"BACKEND": "tests.support.flaky_cache.FlakyCache"}}
    settings.CATALOGUE_PAGE_CACHE = True
    FlakyCache.broken = True
    yield
    FlakyCache.broken = False


def test_with_the_cache_gone_every_page_and_pdf_is_still_served(client, case, cache_gone):
    pages = [
        "/",
        reverse("catalogue:case-list"),
        reverse("catalogue:case-list") + "?sort=title",
        reverse("catalogue:case-detail", args=[case.slug]),
        reverse("catalogue:insights"),
        reverse("catalogue:principle-list"),
        reverse("catalogue:case-summary-pdf", args=[case.slug]),
        reverse("catalogue:case-export-csv"),
    ]
    for page in pages:
        for _ in range(2):  # the second is not a cache hit either: the page is made again
            response = client.get(page)
            assert response.status_code == 200, page
            assert response.get("X-Page-Cache") in {None, "miss"}
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_with_the_cache_gone_an_edit_is_saved_and_answered_without_an_error(editor_client, case, cache_gone):
    """The admin action "mark reviewed today" committed its write, then answered 500 when the cache version
    could not be replaced (D5): now it answers as usual."""
    CaseStudy.objects.filter(pk=case.pk).update(last_reviewed=None)
    response = editor_client.post(
        reverse("admin:catalogue_casestudy_changelist"),
        {"action": "mark_reviewed_today", "_selected_action": [case.pk]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.last_reviewed is not None


def test_a_pdf_render_that_raises_is_the_plain_error_page_and_nothing_is_cached(client, case):
    from catalogue.pdf import documents

    client.raise_request_exception = False
    url = reverse("catalogue:case-summary-pdf", args=[case.slug])
    render = documents.html_to_pdf
    with mock.patch.object(documents, "html_to_pdf", side_effect=RuntimeError("WeasyPrint: cairo exploded")):
        failed = client.get(url)
    assert failed.status_code == 500
    assert "text/html" in failed["Content-Type"]
    body = failed.content.decode()
    assert "Sorry, something went wrong" in body
    assert "exploded" not in body and "Traceback" not in body
    # Nothing was stored for it: the next request renders (once), and the one after is served from the cache.
    with mock.patch.object(documents, "html_to_pdf", side_effect=render) as renderer:
        first = client.get(url)
        second = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF")
    assert renderer.call_count == 1
    assert second.content == first.content


def test_the_503_page_is_the_500_pages_frame_and_needs_no_database(django_db_blocker):
    from django.template.loader import render_to_string

    from config.errors import unavailable_response

    with django_db_blocker.block():  # any database access here fails the test
        response = unavailable_response()
        page, server_error_page = render_to_string("503.html"), render_to_string("500.html")
    assert response.status_code == 503 and "text/html" in response["Content-Type"]

    def frame(html: str) -> list[str]:  # every line but the title and the message
        return [
            line for line in html.splitlines() if "<title>" not in line and "<h1>" not in line and "<p>" not in line
        ]

    assert frame(page)[1:] == frame(server_error_page)[1:]  # the same head, stylesheets, header and structure
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert page.count("<main") == page.count("</main>") == 1
