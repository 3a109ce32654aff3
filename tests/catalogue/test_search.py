"""Free-text search with web search syntax: the same cases and the same answers on SQLite and PostgreSQL.

The words are chosen so that stemming (PostgreSQL) and substring matching (SQLite) agree, and none is a
PostgreSQL stop word.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.filters import CaseStudyFilter
from tests.builders import RegionFactory, complete_case

pytestmark = pytest.mark.django_db

LIST = reverse("catalogue:case-list")


@pytest.fixture
def cases(principles):
    region = RegionFactory()

    def case(title, setting="health", **fields):
        return complete_case(title, region=region, conditions=[], approaches=[], setting=setting, **fields)

    return {
        "knitting": case("Knitting circle", what_they_did="A weekly time bank for neighbours in Hackney."),
        "cycling": case("Cycling club", context="Volunteers who spent time at the bank counter came together."),
        "garden": case(
            "Community garden", summary="A shared garden where patients grow vegetables.", setting="community"
        ),
        "allotment": case("Allotment society", summary="Garden plots on an allotment run by tenants."),
    }


def found(query: str, **params) -> list[str]:
    return [case.slug for case in CaseStudyFilter({"q": query, **params}).qs]


SEARCHES = [
    # (query, expected slugs in title order)
    ("knitting", ["knitting-circle"]),
    ("KNITTING", ["knitting-circle"]),  # case-insensitive
    ("time bank", ["cycling-club", "knitting-circle"]),  # every word, anywhere
    ('"time bank"', ["knitting-circle"]),  # a phrase as written
    ("garden -allotment", ["community-garden"]),  # -word excludes
    ("knitting or cycling", ["cycling-club", "knitting-circle"]),  # or offers alternatives
    ('"time bank" or vegetables', ["community-garden", "knitting-circle"]),
    ("knitting garden", []),  # both words must appear
    ("hackney", ["knitting-circle"]),  # body sections are searched
    ("tenants", ["allotment-society"]),  # so is the summary
    ("zeppelin", []),
]


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_search_syntax_gives_the_same_answers_on_every_database(cases, query, expected):
    assert found(query, sort="title") == expected


@pytest.mark.parametrize(("query", "expected"), SEARCHES[:6])
def test_the_list_page_shows_the_same_search_results(client, cases, query, expected):
    response = client.get(LIST, {"q": query, "sort": "title"})
    assert response.status_code == 200
    assert [case.slug for case in response.context["cases"]] == expected


def test_a_title_match_ranks_above_a_body_match(principles):
    region = RegionFactory()
    body = complete_case("Aardvark group", region=region, conditions=[], approaches=[], scores=[2] * 6,
                     sharing_power="Members lead the knitting sessions themselves.")  # fmt: skip
    title = complete_case("Zebra knitting circle", region=region, conditions=[], approaches=[], scores=[2] * 6)
    # By title the body match would come first; by relevance (the default with a search) the title match does.
    assert found("knitting", sort="title") == [body.slug, title.slug]
    assert found("knitting") == [title.slug, body.slug]
    assert found("knitting", sort="relevance") == [title.slug, body.slug]


def test_search_combines_with_the_filters(cases):
    assert found("garden", setting="community") == ["community-garden"]
    assert found("garden", setting="health") == ["allotment-society"]
    assert found("garden", setting="social-care") == []


def test_only_published_cases_are_found(cases, principles):
    complete_case(
        "Knitting draft", region=RegionFactory(), conditions=[], approaches=[], scores=[2] * 6, status="draft"
    )
    assert found("knitting") == ["knitting-circle"]


@pytest.mark.parametrize("query", ["-", "or", '""', "- or -", "-knitting"])
def test_queries_with_no_wanted_word_find_nothing_and_do_not_fail(client, cases, query):
    assert found(query) == []
    assert client.get(LIST, {"q": query}).status_code == 200


def test_a_very_long_search_is_shortened_and_still_runs(client, cases):
    response = client.get(LIST, {"q": "knitting " + "x" * 10_000})
    assert response.status_code == 200
    assert response.context["filter"].query == ("knitting " + "x" * 10_000)[:200]
    assert response.context["notices"] == ["Your search was too long, so only its first 200 characters were used."]
