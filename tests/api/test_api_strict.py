"""The API's case list refuses what it does not understand (catalogue/strict.py, api/filtering.py): each bad
parameter is named in a 400's JSON body with the form its values take, never answered with a different list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.search import MAX_QUERY_LENGTH
from tests.builders import varied_cases

pytestmark = pytest.mark.django_db

LIST = reverse("api:case-list")


@pytest.fixture
def cases(principles):
    return varied_cases()


def get(client, query: str):
    return client.get(f"{LIST}?{query}")


@pytest.mark.parametrize(("query", "parameter", "says"), [
    ("regoin=london", "regoin", "Unknown parameter. The parameters are: approach, condition, format, min_score,"),
    ("condition=nonsense", "condition", "Unknown condition 'nonsense': give a slug from /api/conditions/."),
    ("condition=copd&condition=nonsense", "condition", "Unknown condition 'nonsense'"),
    ("approach=juggling", "approach", "Unknown approach 'juggling': give a slug from /api/approaches/."),
    ("setting=moon", "setting", "Unknown setting 'moon': give one of health, social-care, community"),
    ("principle=kindness", "principle", "Unknown principle 'kindness': give a slug from /api/principles/."),
    ("min_score=5", "min_score", "Unknown minimum score '5': give 1, 2, 3."),
    ("min_score=x", "min_score", "Unknown minimum score 'x'"),
    ("sort=bogus", "sort", "Unknown sort order 'bogus': give one of relevance, title, newest, strength."),
    ("sort=%01", "sort", "Unknown sort order"),
    ("min_score=1&min_score=2", "min_score", "Give one value, not 2."),
    ("q=bank&q=time", "q", "Give one value, not 2."),
    ("programmes=include&programmes=exclude", "programmes", "Give one value, not 2."),
    ('q="time bank', "q", "The search could not be read as given"),
    ("q=OR", "q", "The search could not be read as given"),
    ("q=" + "a" * (MAX_QUERY_LENGTH + 1), "q", f"The search is longer than {MAX_QUERY_LENGTH} characters."),
    ("page_size=0", "page_size", "Give a whole number from 1 to 100, not '0'."),
    ("page_size=101", "page_size", "Give a whole number from 1 to 100, not '101'."),
    ("page_size=-3", "page_size", "Give a whole number from 1 to 100"),
    ("page_size=1.5", "page_size", "Give a whole number from 1 to 100"),
    ("page_size=10&page_size=20", "page_size", "Give one value, not 2."),
    ("page=abc", "page", "Give a whole number from 1, not 'abc'."),
    ("page=0", "page", "Give a whole number from 1, not '0'."),
])  # fmt: skip
def test_what_the_list_does_not_understand_is_a_400_naming_the_parameter(client, cases, query, parameter, says):
    response = get(client, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == [parameter]
    assert body[parameter][0].startswith(says), body


def test_every_bad_parameter_is_named_at_once(client, cases):
    body = get(client, "regoin=london&condition=nonsense&sort=bogus&region=E99999999").json()
    assert set(body) == {"regoin", "condition", "sort", "region"}


def test_a_hostile_parameter_name_or_value_is_echoed_short_and_inert(client, cases):
    body = get(client, "%3Cscript%3E" + "x" * 500 + "=1&condition=%3Cb%3E").json()
    (name,) = [key for key in body if key != "condition"]
    assert len(name) < 100
    assert body["condition"] == ["Unknown condition '<b>': give a slug from /api/conditions/."]  # JSON, not HTML


@pytest.mark.parametrize("query", [
    "", "page=1", "page_size=100", "page_size=1&page=2", "format=json", "condition=copd&condition=mental-health",
    "region=E12000007&programmes=exclude", "min_score=3&principle=peer-support-networks", "sort=newest",
    "q=bank", "q=-london", "q=time OR breathing", "q=sing*",
])  # fmt: skip
def test_what_it_understands_is_answered(client, cases, query):
    assert get(client, query).status_code == 200


def test_a_page_past_the_last_is_a_404(client, cases):
    response = get(client, "page=999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_results_keep_a_stable_order_across_pages(client, cases):
    first = [case["slug"] for case in get(client, "page_size=2").json()["results"]]
    second = [case["slug"] for case in get(client, "page_size=2&page=2").json()["results"]]
    assert first + second == ["alpha", "beta", "gamma"]
