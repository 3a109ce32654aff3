"""The statements (accessibility, privacy, contact), the site's identity in every page's head (title, icons,
Open Graph), and the privacy notice's promise that the pages people read set no cookie."""

from __future__ import annotations

import importlib
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse

import config.settings.base as base
from principles.models import Principle

pytestmark = pytest.mark.django_db

STATEMENTS = {
    "accessibility": "/accessibility/",
    "privacy": "/privacy/",
    "contact": "/contact/",
}
# The participation forms (issue 16): checked when their addresses exist.
FORM_PAGES = ["/suggest/"]


@pytest.fixture
def world(world, settings):
    settings.SITE_URL = "https://catalogue.example"
    settings.CATALOGUE_PUBLISHER = "The Example Health Trust"
    settings.CATALOGUE_PUBLISHER_ADDRESS = "1 Example Street, London"
    settings.CATALOGUE_CONTACT_EMAIL = "editors@trust.example"
    settings.PERSONAL_DATA_RETENTION_DAYS = 90
    return world


def public_pages() -> dict[str, str]:
    """Every public page type, as the hand-made world has them."""
    return {
        "home": reverse("catalogue:home"),
        "list": "/case-studies/?condition=copd&min_score=2",
        "case": "/case-studies/alpha/",
        "principles": reverse("catalogue:principle-list"),
        "principle": Principle.objects.first().get_absolute_url(),
        "compare": "/compare/?case=alpha&case=bravo",
        "insights": reverse("catalogue:insights"),
        "map": reverse("catalogue:map"),
        "place": reverse("catalogue:place-detail", kwargs={"slug": "london"}),
        "data": reverse("catalogue:data"),
        "about": reverse("catalogue:about"),
        "assessments": reverse("catalogue:assessments"),
        **STATEMENTS,
    }


def get_page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("path", STATEMENTS.values())
def test_each_statement_is_linked_from_every_pages_footer(client, world, path):
    for page_path in [reverse("catalogue:home"), "/case-studies/alpha/", *STATEMENTS.values()]:
        page = get_page(client, page_path)
        footer = page[page.index('<footer class="site-footer">') :]
        assert f'<a href="{path}">' in footer, (page_path, path)


def test_the_statements_name_the_publisher_and_the_contact_address_from_settings(client, world):
    for path in STATEMENTS.values():
        page = get_page(client, path)
        assert "The Example Health Trust" in page, path
        assert '<a href="mailto:editors@trust.example">editors@trust.example</a>' in page, path
    assert "1 Example Street, London" in get_page(client, "/contact/")


def test_the_accessibility_statement_follows_the_model_statement(client, world):
    page = get_page(client, "/accessibility/")
    headings = re.findall(r"<h[23] id=\"[a-z-]+\">([^<]+)</h[23]>", page)
    for heading in [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Non-accessible content",
        "How we tested this website",
        "Preparation of this accessibility statement",
    ]:
        assert heading in headings, heading
    assert "This website is partially compliant with the" in page
    assert "Equality and Human Rights Commission (EHRC)" in page
    assert "Equality Commission for Northern Ireland (ECNI)" in page
    assert "This website was last tested on 3 December 2026." in page
    assert "This statement was prepared on 3 December 2026." in page
    # What is not accessible, and why: the map's district links and the PDFs.
    assert "361 local authority districts" in page
    assert "PDF/UA" in page and "WeasyPrint" in page


def test_the_privacy_notice_states_the_controller_the_period_and_the_cookies(client, world, settings):
    page = get_page(client, "/privacy/")
    assert "The data controller is the catalogue's publisher: The Example Health Trust" in page
    assert "deleted once it is 90 days old" in page
    assert "no more than 90 days" in page
    assert "<code>csrftoken</code>" in page and "<code>sessionid</code>" in page
    assert f"{settings.SESSION_COOKIE_AGE // 86400} days, or until they log out" in page
    assert "Information Commissioner's Office" in page
    assert "set no cookies at all" in page


def test_the_contact_page_gives_the_routes_to_the_editors(client, world):
    page = get_page(client, "/contact/")
    assert re.search(r'<a href="/suggest/">Suggest a case study</a>', page)
    assert "Report an error" in page and "Reply to these scores" in page
    assert '<a href="/case-studies/">list of case studies</a>' in page


def test_the_retention_period_has_a_default_and_refuses_nonsense(monkeypatch):
    """The purge command and the privacy notice read one setting; a bad value stops the start, not a page."""
    try:
        monkeypatch.delenv("DJANGO_PERSONAL_DATA_DAYS", raising=False)
        assert importlib.reload(base).PERSONAL_DATA_RETENTION_DAYS == 180
        for value in ["0", "-3", "six months"]:
            monkeypatch.setenv("DJANGO_PERSONAL_DATA_DAYS", value)
            with pytest.raises(ImproperlyConfigured, match="whole number of days"):
                importlib.reload(base)
        monkeypatch.setenv("DJANGO_PERSONAL_DATA_DAYS", "30")
        assert importlib.reload(base).PERSONAL_DATA_RETENTION_DAYS == 30
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_no_public_page_sets_a_cookie(client, world):
    """The privacy notice says the pages people read set no cookie: not a session, not a CSRF token."""
    for name, path in public_pages().items():
        response = client.get(path)
        assert response.status_code == 200, name
        assert not response.cookies, f"{name} ({path}) sets {list(response.cookies)}"
        assert "Set-Cookie" not in response.headers, name


@pytest.mark.parametrize("path", FORM_PAGES)
def test_a_form_pages_only_cookie_is_the_csrf_token(client, world, path):
    try:
        resolve(path)
    except Resolver404:
        pytest.skip(f"{path} is not built yet")
    response = client.get(path)
    assert response.status_code == 200
    assert set(response.cookies) <= {"csrftoken"}


def test_every_page_type_names_the_catalogue_in_its_title_and_open_graph_tags(client, world):
    for name, path in public_pages().items():
        page = get_page(client, path)
        title = re.search(r"<title>([^<]+)</title>", page).group(1)
        assert "Co-production Catalogue" in title, (name, title)
        assert '<meta property="og:site_name" content="Co-production Catalogue">' in page, name
        assert f'<meta property="og:url" content="https://catalogue.example{path.split("?")[0]}">' in page, name
        assert re.search(r'<meta property="og:title" content="[^"]{4,}">', page), name
        assert re.search(r'<meta property="og:description" content="[^"]{40,}">', page), name
        assert f'<meta property="og:image" content="https://catalogue.example{static("icon-512.png")}">' in page


def test_a_case_pages_open_graph_tags_are_its_title_and_summary(client, world):
    case = world.cases["alpha"]
    page = get_page(client, case.get_absolute_url())
    assert f'<meta property="og:title" content="{case.title}">' in page
    assert '<meta property="og:type" content="article">' in page
    description = re.search(r'<meta property="og:description" content="([^"]+)">', page).group(1)
    assert description.split()[:5] == case.summary.split()[:5]
    home = get_page(client, reverse("catalogue:home"))
    assert '<meta property="og:type" content="website">' in home
    assert '<meta property="og:title" content="Co-production Catalogue">' in home


def test_the_icons_are_linked_and_exist(client, world):
    page = get_page(client, "/about/")
    assert f'<link rel="apple-touch-icon" href="{static("apple-touch-icon.png")}">' in page
    for name in ["icon.svg", "apple-touch-icon.png", "icon-512.png"]:
        assert finders.find(name), name
    with open(finders.find("apple-touch-icon.png"), "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    assert client.get("/favicon.ico").status_code == 302
