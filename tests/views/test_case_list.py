"""The catalogue list: filters (OR within, AND across), regions with their sub-regions, principle strength,
sorting, facet counts, removable chips, pagination that keeps the filters, and forgiving bad input.

Expected results and counts are worked out by hand from the table in catalogue_world.py.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from catalogue import facets
from catalogue.filters import CaseStudyFilter

from .catalogue_world import build_many, build_world, make_case

pytestmark = pytest.mark.django_db

LIST = reverse("catalogue:case-list")
# The most SQL queries the list may take, with filters, facet counts and a search, at any data size.
LIST_MAX_QUERIES = 13
ALL = ["alpha", "bravo", "charlie", "delta", "echo"]  # every published case, by title


@pytest.fixture
def world():
    return build_world()


def slugs(response) -> list[str]:
    return [case.slug for case in response.context["cases"]]


def get(client, query: str = ""):
    response = client.get(f"{LIST}?{query}" if query else LIST)
    assert response.status_code == 200
    return response


def counts(response, facet: str) -> dict[str, int]:
    return {option.value: option.count for option in response.context["facets"][facet].options}


def chip_links(response) -> dict[str, str]:
    """Each chip's visible label -> its href (unescaped)."""
    page = response.content.decode()
    chip = r'<a class="chip" href="([^"]*)"><span class="visually-hidden">Remove filter: </span>(.*?)<'
    found = re.findall(chip, page)
    return {html.unescape(label): html.unescape(href) for href, label in found}


# --- filters ------------------------------------------------------------------------------------------------


def test_without_filters_every_published_case_is_listed_by_title_and_drafts_are_not(client, world):
    assert slugs(get(client)) == ALL


def test_one_condition_narrows_the_list(client, world):
    assert slugs(get(client, "condition=copd")) == ["alpha", "charlie", "echo"]


def test_several_values_of_one_filter_widen_the_list(client, world):
    assert slugs(get(client, "condition=copd&condition=mental-health")) == ALL
    assert slugs(get(client, "approach=timebanks&approach=self-management")) == ["bravo", "charlie", "delta"]


def test_different_filters_narrow_each_other(client, world):
    assert slugs(get(client, "condition=mental-health&approach=peer-support-groups")) == ["charlie"]
    assert slugs(get(client, "condition=copd&setting=social-care")) == ["echo"]
    assert slugs(get(client, "condition=mental-health&approach=peer-support-groups&setting=community")) == []


def test_a_region_includes_its_sub_regions(client, world):
    assert slugs(get(client, "region=england")) == ["alpha", "bravo", "echo"]
    assert slugs(get(client, "region=united-kingdom")) == ["alpha", "bravo", "charlie", "echo"]
    assert slugs(get(client, "region=london")) == ["alpha"]
    assert slugs(get(client, "region=scotland&region=finland")) == ["charlie", "delta"]


def test_a_principle_filter_keeps_cases_at_or_above_the_minimum_score_which_defaults_to_2(client, world):
    # peer-support-networks scores: alpha 3, bravo 2, charlie 1, delta 3, echo 2
    assert slugs(get(client, "principle=peer-support-networks")) == ["alpha", "bravo", "delta", "echo"]
    assert slugs(get(client, "principle=peer-support-networks&min_score=3")) == ["alpha", "delta"]
    assert slugs(get(client, "principle=peer-support-networks&min_score=1")) == [
        "alpha",
        "bravo",
        "charlie",
        "delta",
        "echo",
    ]


def test_several_principles_must_all_reach_the_minimum(client, world):
    # peer networks >= 2: alpha bravo delta echo; blurring >= 2: bravo charlie delta echo
    assert slugs(get(client, "principle=peer-support-networks&principle=blurring-distinctions")) == [
        "bravo",
        "delta",
        "echo",
    ]
    assert slugs(get(client, "principle=peer-support-networks&principle=blurring-distinctions&min_score=3")) == [
        "delta"
    ]


# --- sorting -------------------------------------------------------------------------------------------------


def test_sort_newest_puts_the_most_recently_published_first(client, world):
    assert slugs(get(client, "sort=newest")) == ["delta", "bravo", "alpha", "charlie", "echo"]


def test_sort_strength_without_principles_uses_the_total_of_all_six(client, world):
    # totals: bravo 15, alpha 13, echo 12, delta 11, charlie 10
    assert slugs(get(client, "sort=strength")) == ["bravo", "alpha", "echo", "delta", "charlie"]


def test_sort_strength_uses_only_the_chosen_principles(client, world):
    # peer networks + blurring: delta 6, bravo 4, echo 4 (ties by title)
    query = "principle=peer-support-networks&principle=blurring-distinctions&sort=strength"
    assert slugs(get(client, query)) == ["delta", "bravo", "echo"]


def test_sort_strength_is_not_inflated_by_matching_several_values_of_a_filter(client, world):
    # Charlie has both conditions; counted once it totals 10, the lowest.
    assert slugs(get(client, "condition=copd&condition=mental-health&sort=strength"))[-1] == "charlie"


def test_sort_title_is_the_default_and_relevance_without_a_search_falls_back_to_title(client, world):
    assert slugs(get(client, "sort=relevance")) == slugs(get(client, "sort=title")) == slugs(get(client))


# --- facet counts --------------------------------------------------------------------------------------------


def test_facet_counts_without_filters(client, world):
    response = get(client)
    assert counts(response, "condition") == {"copd": 3, "mental-health": 3, "dementia": 0}
    assert counts(response, "approach") == {"peer-support-groups": 3, "timebanks": 1, "self-management": 2}
    assert counts(response, "setting") == {"health": 3, "social-care": 1, "community": 1, "cross-sector": 0}
    assert counts(response, "region") == {
        "united-kingdom": 4,
        "england": 3,
        "london": 1,
        "north-west": 1,
        "scotland": 1,
        "finland": 1,
    }
    assert counts(response, "principle") == {
        "building-on-capabilities": 4,
        "mutuality-and-reciprocity": 3,
        "peer-support-networks": 4,
        "blurring-distinctions": 4,
        "facilitating-not-delivering": 4,
        "recognising-people-as-assets": 4,
    }


def test_facet_counts_follow_the_other_filters_but_not_their_own(client, world):
    response = get(client, "condition=copd")
    # Its own facet still offers the alternatives (OR): counts as if no condition were chosen.
    assert counts(response, "condition") == {"copd": 3, "mental-health": 3, "dementia": 0}
    # Other facets count within COPD cases: alpha, charlie, echo.
    assert counts(response, "approach") == {"peer-support-groups": 3, "timebanks": 0, "self-management": 1}
    assert counts(response, "region") == {
        "united-kingdom": 3,
        "england": 2,
        "london": 1,
        "north-west": 0,
        "scotland": 1,
        "finland": 0,
    }


def test_principle_counts_keep_the_other_chosen_principles_applied(client, world):
    # COPD cases at least 2 on peer networks: alpha (3 2 3 1 2 2) and echo (2 2 2 2 2 2).
    response = get(client, "condition=copd&principle=peer-support-networks")
    assert counts(response, "principle") == {
        "building-on-capabilities": 2,
        "mutuality-and-reciprocity": 2,
        "peer-support-networks": 2,
        "blurring-distinctions": 1,
        "facilitating-not-delivering": 2,
        "recognising-people-as-assets": 2,
    }


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


def test_the_result_count_is_in_words(client, world):
    assert get(client, "condition=copd").context["result_words"] == "3 case studies"
    assert get(client, "region=london").context["result_words"] == "1 case study"
    assert get(client, "condition=dementia").context["result_words"] == "No case studies"
    assert "3 case studies match your filters" in get(client, "condition=copd").content.decode()


# --- chips ---------------------------------------------------------------------------------------------------


def test_each_chip_removes_just_its_own_value_and_keeps_the_rest(client, world):
    response = get(client, "condition=copd&condition=mental-health&region=england&q=peer&page=1")
    links = chip_links(response)
    assert set(links) == {
        "Search: “peer”",
        "Condition: COPD",
        "Condition: Mental health",
        "Region: England",
    }
    params = parse_qs(urlsplit(links["Condition: COPD"]).query)
    assert params == {"condition": ["mental-health"], "region": ["england"], "q": ["peer"]}
    params = parse_qs(urlsplit(links["Region: England"]).query)
    assert params == {"condition": ["copd", "mental-health"], "q": ["peer"]}
    params = parse_qs(urlsplit(links["Search: “peer”"]).query)
    assert params == {"condition": ["copd", "mental-health"], "region": ["england"]}


def test_following_a_chip_link_gives_the_list_without_that_value(client, world):
    links = chip_links(get(client, "condition=copd&region=england"))
    assert slugs(get(client, "condition=copd&region=england")) == ["alpha", "echo"]
    assert slugs(client.get(LIST + links["Region: England"])) == ["alpha", "charlie", "echo"]
    assert slugs(client.get(LIST + links["Condition: COPD"])) == ["alpha", "bravo", "echo"]


def test_a_principle_chip_names_the_minimum(client, world):
    links = chip_links(get(client, "principle=peer-support-networks&min_score=3"))
    assert list(links) == ["Principle: Peer support networks: 3 or stronger"]


def test_clear_all_links_to_the_unfiltered_list(client, world):
    page = get(client, "condition=copd").content.decode()
    assert f'<a class="chips__clear" href="{LIST}">Clear all</a>' in page
    assert "chips__clear" not in get(client).content.decode()


# --- pagination ----------------------------------------------------------------------------------------------


@pytest.fixture
def many_copd_cases(world):
    for n in range(22):
        make_case(
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


# --- bad input (issue point 9): 200, the valid part applied, a plain message ----------------------------------


def test_an_unknown_slug_is_ignored_with_a_message_and_the_known_ones_still_apply(client, world):
    response = get(client, "condition=no-such-thing&condition=copd")
    assert slugs(response) == ["alpha", "charlie", "echo"]
    assert response.context["notices"] == ["No condition or population matches “no-such-thing”, so it was ignored."]
    assert "so it was ignored" in response.content.decode()


@pytest.mark.parametrize("param", ["region", "approach", "setting", "principle"])
def test_unknown_values_of_every_filter_are_ignored(client, world, param):
    response = get(client, f"{param}=nowhere")
    assert slugs(response) == ALL
    assert len(response.context["notices"]) == 1
    assert "“nowhere”" in response.context["notices"][0]


@pytest.mark.parametrize("min_score", ["abc", "7", "0", "-1", "2.5", "9" * 100])
def test_a_bad_min_score_falls_back_to_2_with_a_message(client, world, min_score):
    response = get(client, f"principle=peer-support-networks&min_score={min_score}")
    assert slugs(response) == ["alpha", "bravo", "delta", "echo"]
    assert response.context["notices"] == ["The minimum score must be 1, 2 or 3, so the default (2) was used instead."]


def test_a_ten_thousand_character_search_is_shortened_with_a_message(client, world):
    response = get(client, "q=" + "peer " * 2000)
    assert response.context["filter"].query == ("peer " * 40).strip()
    assert response.context["notices"] == ["Your search was too long, so only its first 200 characters were used."]


def test_an_unknown_sort_uses_the_default_order_with_a_message(client, world):
    response = get(client, "sort=cheapest")
    assert slugs(response) == ALL
    assert response.context["notices"] == ["That sort order is not one we offer, so the default order was used."]


def test_empty_parameters_are_ignored_quietly(client, world):
    response = get(client, "q=&condition=&region=&approach=&setting=&principle=&min_score=&sort=&page=")
    assert slugs(response) == ALL
    assert response.context["notices"] == []
    assert response.context["chips"] == []


def test_repeated_parameters_are_counted_once_and_single_valued_ones_take_the_last(client, world):
    response = get(client, "condition=copd&condition=copd&min_score=1&min_score=3&principle=peer-support-networks")
    assert slugs(response) == ["alpha"]  # COPD and at least 3 on peer networks
    assert [chip.label for chip in response.context["chips"]] == [
        "Condition: COPD",
        "Principle: Peer support networks: 3 or stronger",
    ]


def test_everything_wrong_at_once_still_answers_200_with_every_message(client, world):
    response = get(client, "condition=x&region=y&min_score=z&sort=w&page=v&q=" + "a" * 10_000)
    assert len(response.context["notices"]) == 6


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


def test_filter_counts_reuse_the_one_filterset(world):
    """The list's counts come from CaseStudyFilter itself, so exports and the API see the same numbers."""
    filterset = CaseStudyFilter({"condition": ["copd"]})
    assert [c.slug for c in filterset.qs] == ["alpha", "charlie", "echo"]
    assert {o.value: o.count for o in facets.count(filterset)["approach"].options}["self-management"] == 1


FILTER_VALUES = {
    "condition": ["copd", "mental-health", "dementia"],
    "region": ["united-kingdom", "england", "london", "north-west", "scotland", "finland"],
    "approach": ["peer-support-groups", "timebanks", "self-management"],
    "setting": ["health", "social-care", "community", "cross-sector"],
    "principle": ["building-on-capabilities", "mutuality-and-reciprocity", "blurring-distinctions"],
}


@st.composite
def filter_choices(draw) -> dict[str, list[str]]:
    data = {
        name: draw(st.lists(st.sampled_from(values), max_size=2, unique=True)) for name, values in FILTER_VALUES.items()
    }
    data["min_score"] = [draw(st.sampled_from(["1", "2", "3"]))]
    if draw(st.booleans()):
        data["q"] = [draw(st.sampled_from(["peer", "time bank", "recovery", "-breathe", "network or college"]))]
    return {name: values for name, values in data.items() if values}


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=filter_choices())
def test_every_count_is_what_choosing_it_would_give(world, data):
    """The facet counts, and the result count, against the FilterSet's own results."""
    filterset = CaseStudyFilter(data)
    counted = facets.count(filterset)
    for name, facet in counted.items():
        options = facet.options
        for option in options:
            # Principles combine with AND (choosing one more narrows); other filters with OR within themselves,
            # so an option's count is what choosing it alone would give.
            chosen = [*dict.fromkeys([*data.get(name, []), option.value])] if name == "principle" else [option.value]
            assert option.count == CaseStudyFilter({**data, name: chosen}).qs.count(), (name, option.value)


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
    build_many(size)
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    if not query:
        assert response.context["result_count"] == size
        assert len(slugs(response)) == min(size, 20)
