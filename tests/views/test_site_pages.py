"""The site frame (titles, descriptions, canonical URLs, skip link, navigation, footer) and the home page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from catalogue.models import CaseStudy
from tests.builders import many_cases

pytestmark = pytest.mark.django_db

HOME = reverse("catalogue:home")
HOME_MAX_QUERIES = 15


@pytest.fixture
def world(world, settings):
    """The hand-made world, with Alpha, Delta and the draft Foxtrot featured."""
    settings.SITE_URL = "https://catalogue.example"
    CaseStudy.objects.filter(slug__in=["alpha", "delta", "foxtrot"]).update(featured=True)
    return world


@pytest.fixture
def home(client, world) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


@pytest.mark.parametrize("path", [HOME, "/case-studies/", "/case-studies/alpha/"])
def test_every_page_has_the_frame(client, world, path):
    page = client.get(path).content.decode()
    assert '<html lang="en-GB">' in page
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in page
    assert '<main id="main" class="page" tabindex="-1">' in page
    assert re.search(r'<meta name="description" content="[^"]{40,}">', page)
    assert f'<link rel="canonical" href="https://catalogue.example{path}">' in page
    assert '<nav class="site-nav" aria-label="Main">' in page
    for href, label in [
        ("/case-studies/", "Case studies"),
        ("/principles/", "Principles"),
        ("/compare/", "Compare"),
        ("/insights/", "Insights"),
        ("/about/", "About"),
    ]:
        assert re.search(rf'<a href="{href}"[^>]*>{label}</a>', page), label
    footer = page[page.index('<footer class="site-footer">') :]
    assert "our own assessment" in footer
    assert "in the spirit of exploration rather than judgement" in footer
    assert '<a href="/about/">' in footer
    assert 'media="print"' in page
    assert '--site-url: "https://catalogue.example"' in page


def test_the_current_section_is_marked_in_the_navigation(client, world):
    page = client.get("/case-studies/").content.decode()
    assert '<a href="/case-studies/" aria-current="page">Case studies</a>' in page
    page = client.get(HOME).content.decode()
    assert "aria-current" not in page[page.index('<nav class="site-nav"') : page.index("</nav>")]


def test_home_has_a_meaningful_title(home):
    assert "<title>Co-production Catalogue: co-production in health and social care</title>" in home


def test_home_explains_co_production_and_links_the_six_principles(home):
    assert "equal partners" in home
    principles = section(home, "principles-heading")
    links = re.findall(r'<a href="(/principles/[a-z-]+/)">', principles)
    assert len(links) == 6
    assert links[0] == "/principles/building-on-capabilities/"


def test_home_shows_featured_published_cases_with_compact_profiles(home):
    featured = section(home, "featured-heading")
    assert "Alpha Breathe Easy" in featured and "Delta Open Dialogue" in featured
    assert "Foxtrot Draft" not in featured  # featured but a draft
    assert "Bravo Time Bank" not in featured  # published but not featured
    assert featured.count('<ol class="profile-compact__list">') == 2


def test_home_counts_published_cases_and_offers_ways_in_with_counts(home):
    assert '<span class="stats__number">5</span> case studies' in home
    assert '<span class="stats__number">2</span> conditions' in home  # dementia has no case
    assert '<span class="stats__number">3</span> approaches' in home
    assert '<span class="stats__number">5</span> places with a site' in home
    ways = section(home, "ways-heading")
    assert re.search(r'<a href="/case-studies/\?condition=copd">COPD</a> <span class="count">\(3', ways)
    assert re.search(
        r'<a href="/case-studies/\?region=united-kingdom">United Kingdom: every UK case</a> <span class="count">\(4',
        ways,
    )
    assert re.search(r'<a href="/case-studies/\?approach=self-management">[^<]+</a> <span class="count">\(2', ways)
    assert "?condition=dementia" not in ways


@pytest.mark.parametrize("size", [5, 40])
def test_home_runs_in_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    many_cases(size)
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        response = client.get(HOME)
    assert response.status_code == 200
    assert response.context["case_count"] == size


def test_the_favicon_is_the_sites_icon(client):
    """/favicon.ico (asked for by browsers whatever a page links) leads to the icon base.html links, not a 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("icon.svg")
    icon = Path(finders.find("icon.svg"))
    assert icon.read_text().startswith("<svg ")
    page = client.get(reverse("catalogue:about")).content.decode()
    assert f'<link rel="icon" href="{static("icon.svg")}" type="image/svg+xml">' in page
