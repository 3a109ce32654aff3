"""What the chosen filters read as (catalogue/selection.py): the result count in words, and the chips, each of which
removes just its own value and keeps the rest of the query string.

Expected results are worked out by hand from the table in builders.world().
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.listing import LIST, chip_links, get, slugs

pytestmark = pytest.mark.django_db


def test_the_result_count_is_in_words(client, world):
    assert get(client, "condition=copd").context["result_words"] == "3 case studies"
    assert get(client, "region=london").context["result_words"] == "1 case study"
    assert get(client, "condition=dementia").context["result_words"] == "No case studies"
    assert "3 case studies match your filters" in get(client, "condition=copd").content.decode()


def test_each_chip_removes_just_its_own_value_and_keeps_the_rest(client, world):
    response = get(client, "condition=copd&condition=mental-health&region=england&q=peer&page=1")
    links = chip_links(response)
    assert set(links) == {
        "Search: “peer”",
        "Condition: COPD",
        "Condition: Mental health",
        "Place: England",
    }
    params = parse_qs(urlsplit(links["Condition: COPD"]).query)
    assert params == {"condition": ["mental-health"], "region": ["england"], "q": ["peer"]}
    params = parse_qs(urlsplit(links["Place: England"]).query)
    assert params == {"condition": ["copd", "mental-health"], "q": ["peer"]}
    params = parse_qs(urlsplit(links["Search: “peer”"]).query)
    assert params == {"condition": ["copd", "mental-health"], "region": ["england"]}


def test_following_a_chip_link_gives_the_list_without_that_value(client, world):
    links = chip_links(get(client, "condition=copd&region=england"))
    assert slugs(get(client, "condition=copd&region=england")) == ["alpha", "echo"]
    assert slugs(client.get(LIST + links["Place: England"])) == ["alpha", "charlie", "echo"]
    assert slugs(client.get(LIST + links["Condition: COPD"])) == ["alpha", "bravo", "echo"]


def test_a_principle_chip_names_the_minimum(client, world):
    links = chip_links(get(client, "principle=peer-support-networks&min_score=3"))
    assert list(links) == ["Principle: Peer support networks: 3 or stronger"]


def test_clear_all_links_to_the_unfiltered_list(client, world):
    page = get(client, "condition=copd").content.decode()
    assert f'<a class="chips__clear" href="{LIST}">Clear all</a>' in page
    assert "chips__clear" not in get(client).content.decode()
