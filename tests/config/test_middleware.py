"""config/middleware.py: an address with a NUL is refused with 400 before any view or query runs (PostgreSQL
refuses a NUL in text, so each such lookup answered 500), and every response to a signed-in user is private."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import Status
from config.middleware import NUL_REFUSED
from tests.builders import complete_case

pytestmark = pytest.mark.django_db

NUL_URLS = [
    "/compare/?case=a%00",
    "/compare/?find=ab%00cd",
    "/case-studies/?q=a%00b",
    "/case-studies/?condition=%00",
    "/case-studies/?x%00=1",
    "/case-studies/export.csv?region=%00",
    "/case-studies/catalogue.pdf?q=%00",
    "/case-studies/a%00b/",
    "/case-studies/a%00b/summary.pdf",
    "/principles/%00/",
    "/api/regions/%00/",
    "/api/case-studies/%00/",
    "/api/principles/%00/",
    "/api/conditions/a%00b/",
    "/api/approaches/%00/",
    "/api/case-studies/?q=%00",
    "/admin/login/?next=/admin/%00",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_in_the_path_or_the_query_is_a_plain_400_on_every_database(
    client, principles, url, django_assert_num_queries
):
    complete_case(title="Alpha", slug="alpha")
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json() == {"detail": NUL_REFUSED}
    else:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode() == NUL_REFUSED


@pytest.mark.parametrize("url", ["/api/regions/%FF/", "/api/case-studies/%C3%28/", "/case-studies/%ED%A0%80/",
                                 "/compare/?case=%FF%FE", "/api/conditions/?q=%C0%AF"])  # fmt: skip
def test_undecodable_bytes_are_a_404_or_a_page_never_a_500(client, principles, url):
    assert client.get(url).status_code in {200, 400, 404}


def test_an_address_without_a_nul_is_untouched(client, principles):
    complete_case(title="Alpha", slug="alpha")
    assert client.get("/api/case-studies/alpha/").status_code == 200
    assert client.get("/compare/?case=alpha").status_code == 200


def test_a_drafts_page_to_staff_and_the_admin_pages_are_never_stored(editor_client, principles):
    draft = complete_case(title="A draft", slug="a-draft", status=Status.DRAFT)
    for url in [draft.get_absolute_url(), reverse("admin:password_change"), reverse("admin:index"),
                reverse("admin:catalogue_casestudy_changelist"), reverse("catalogue:case-list")]:  # fmt: skip
        response = editor_client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (url, response["Cache-Control"])
        assert "public" not in directives


def test_the_public_pages_stay_cacheable_for_anonymous_visitors(client, principles):
    case = complete_case(title="Alpha", slug="alpha")
    response = client.get(case.get_absolute_url())
    assert "no-store" not in response.get("Cache-Control", "")
