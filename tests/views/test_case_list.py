"""The case list page (catalogue/views/cases.py): the filter form and its facet options, pagination that keeps the
filters, what each result shows, the page's title and canonical URL, and a fixed number of queries at any size.
(What the filters select is in tests/catalogue/test_filters.py, facet counts in test_facets.py, chips in
test_selection.py.)

Expected results and counts are worked out by hand from the table in builders.world().
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.builders import complete_case, many_cases
from tests.support.listing import LIST, get, slugs

pytestmark = pytest.mark.django_db

# The most SQL queries the list may take, with filters, facet counts, a search and the small map, at any data size:
# 13 before places, and since then the reach facet's count, the cards' sites, and (with places chosen) how many of
# the results are programmes covering them. The map reads the sites the place facet's counts read.
LIST_MAX_QUERIES = 16


# --- the filter form -----------------------------------------------------------------------------------------


def test_options_with_no_results_stay_visible_and_are_marked(client, world):
    page = get(client).content.decode()
    item = re.search(r'<li class="facet__option[^"]*">\s*<input[^>]*value="dementia"[^>]*>.*?</li>', page, re.S)
    assert item is not None
    assert "facet__option--empty" in item.group(0)
    assert "(0" in item.group(0)
    assert "results</span>)" in item.group(0)


def test_the_filter_form_shows_chosen_options_as_checked(client, world):
    page = get(client, "condition=copd&min_score=3&principle=peer-support-networks").content.decode()
    assert '<input type="checkbox" name="condition" value="copd" id="condition-copd" checked>' in page
    assert 'name="condition" value="mental-health" id="condition-mental-health">' in page
    assert '<option value="3" selected>' in page


# --- pagination ----------------------------------------------------------------------------------------------


@pytest.fixture
def many_copd_cases(world):
    for n in range(22):
        complete_case(
            f"Zulu {n:02d}",
            region=world.regions["london"],
            conditions=[world.conditions["copd"]],
            approaches=[world.approaches["timebanks"]],
            scores=[2] * 6,
        )
    return world  # 25 COPD cases: alpha, charlie, echo and 22 Zulus


def test_pages_hold_twenty_and_their_links_keep_the_filters(client, many_copd_cases):
    response = get(client, "condition=copd&region=united-kingdom&sort=title")
    assert len(slugs(response)) == 20
    assert response.context["result_count"] == 25
    page = response.content.decode()
    next_link = html.unescape(re.search(r'href="([^"]*)" rel="next"', page).group(1))
    assert parse_qs(urlsplit(next_link).query) == {
        "condition": ["copd"],
        "region": ["united-kingdom"],
        "sort": ["title"],
        "page": ["2"],
    }
    second = client.get(LIST + next_link)
    assert len(slugs(second)) == 5
    assert set(slugs(second)).isdisjoint(slugs(response))
    assert "Page 2 of 2" in second.content.decode()


def test_a_page_past_the_end_shows_the_last_page_with_a_message(client, many_copd_cases):
    response = get(client, "condition=copd&page=99")
    assert response.context["page_obj"].number == 2
    assert "There are only 2 pages of results, so the last page is shown." in response.context["notices"]
    assert "only 2 pages of results" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "1.5", "9" * 5000, "-3", "0"])
def test_a_page_that_is_not_a_positive_number_shows_the_first_page_with_a_message(client, many_copd_cases, page):
    response = get(client, f"condition=copd&page={page}")
    assert response.context["page_obj"].number == 1
    assert any("first page is shown" in notice for notice in response.context["notices"])


def test_a_page_past_the_end_of_an_empty_result_is_still_a_page(client, world):
    response = get(client, "condition=dementia&page=3")
    assert slugs(response) == []
    assert "There is only one page of results, so the last page is shown." in response.context["notices"]


# --- what each result shows, and the page around it ----------------------------------------------------------


def test_each_result_shows_title_place_region_conditions_and_a_compact_profile(client, world):
    page = get(client, "region=scotland").content.decode()
    assert '<a href="/case-studies/charlie/">Charlie Recovery College</a>' in page
    assert "Somewhere" in page and "Scotland" in page
    assert "COPD" in page and "Mental health" in page
    assert 'class="profile-compact__square score-3"' in page
    assert "1. Capabilities: 3, Defining feature" in page
    assert "3. Peer networks: 1, Emerging" in page


def test_add_to_compare_is_a_form_of_checkboxes_that_works_without_javascript(client, world):
    page = get(client).content.decode()
    assert '<form method="get" action="/compare/" class="compare-form">' in page
    assert '<input type="checkbox" name="case" value="alpha" id="compare-alpha">' in page
    assert '<label for="compare-alpha">Add to compare<span class="visually-hidden">: Alpha Breathe Easy</span>' in page


def test_the_page_has_a_title_and_a_canonical_url_with_only_the_valid_state(client, world, settings):
    settings.SITE_URL = "https://catalogue.example"
    page = get(client, "condition=copd&condition=bogus&sort=title&page=1").content.decode()
    assert "<title>3 case studies matching 1 filter - Co-production Catalogue</title>" in page
    assert '<link rel="canonical" href="https://catalogue.example/case-studies/?condition=copd">' in page
    assert "<title>Case studies - Co-production Catalogue</title>" in get(client).content.decode()


# --- speed: a fixed number of queries whatever the size -------------------------------------------------------


@pytest.mark.parametrize("size", [5, 40])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "condition=c1&condition=c2&region=uk&approach=a0&principle=peer-support-networks&sort=strength",
        "q=peer&condition=c1&principle=blurring-distinctions&principle=building-on-capabilities&min_score=1",
        "q=peer+support&sort=relevance&page=2",
    ],
)
def test_the_list_runs_in_a_fixed_number_of_queries(client, django_assert_max_num_queries, size, query):
    many_cases(size)
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    if not query:
        assert response.context["result_count"] == size
        assert len(slugs(response)) == min(size, 20)
