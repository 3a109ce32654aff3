"""The page cache's keys (caching.cached_page, pagekeys.py): every cached page is keyed on the canonical form of
the parameters it reads, never on the query as sent, so junk URLs (parameters no page reads, unknown values,
repeats, spacing, order) never make a new cache entry; the notices about ignored values still show."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse

from catalogue import pagekeys
from catalogue.search import MAX_QUERY_LENGTH
from catalogue.views.cases import LIST_QUERY
from tests.builders import complete_case, rubric_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.CATALOGUE_PAGE_CACHE = True


@pytest.fixture
def case():
    return complete_case(title="Rushey Green Time Bank", slug="rushey-green-time-bank")


def entries() -> int:
    return len(cache._cache)  # the test settings' LocMemCache


JUNK_PARAMETERS = ["x=1", "utm_source=newsletter&utm_medium=email", "fbclid=abc", "x=1&x=2&y="]


def cached_pages(case) -> dict[str, list[str]]:
    """Every cached page, with junk variants of the parameters it reads (each must add no entry)."""
    principle = case.scores.first().principle.slug
    return {
        reverse("catalogue:home"): [],
        reverse("catalogue:case-list"): [
            *(f"condition=junk-{n}" for n in range(5)),
            *(f"sort=zzz{n}" for n in range(3)),
            "min_score=9&principle=nope",
            "page=abc",
            "page=999",
            "page=0",
            "region=nowhere&region=nowhere-else",
        ],
        reverse("catalogue:case-list") + f"?setting={case.setting}": [
            f"setting={case.setting}&setting={case.setting}",
            f"setting={case.setting}&setting=",
            f"setting=+{case.setting}+&q=",
        ],
        # A search is free text (each new search is a new page); what is past its length limit is not.
        reverse("catalogue:case-list") + "?q=" + "a" * MAX_QUERY_LENGTH: [
            "q=" + "a" * (MAX_QUERY_LENGTH + n) for n in (1, 50, 500)
        ],
        case.get_absolute_url(): [],
        reverse("catalogue:compare") + f"?case={case.slug}": [
            f"case={case.slug}&case=junk-1",
            f"case={case.slug}&case=junk-2",
            f"case={case.slug}&case={case.slug}",
            f"case=+{case.slug}+",
        ],
        reverse("catalogue:insights"): ["min_score=9", "min_score=zzz", "min_score=+"],
        reverse("catalogue:about"): [],
        reverse("catalogue:principle-list"): [],
        reverse("catalogue:principle-detail", kwargs={"slug": principle}): [],
        reverse("catalogue:assessments"): [],
        rubric_version().get_absolute_url(): [],
    }


def with_query(url: str, query: str) -> str:
    if query.startswith("q=") and "?q=" in url:
        return f"{url.split('?')[0]}?{query}"
    return f"{url}{'&' if '?' in url else '?'}{query}"


def test_junk_urls_never_make_a_new_cache_entry_on_any_cached_page(client, case):
    for url, junk_values in cached_pages(case).items():
        assert client.get(url).status_code == 200, url
        assert client.get(url)["X-Page-Cache"] == "hit", url
        before = entries()
        for junk in [*JUNK_PARAMETERS, *junk_values]:
            for _ in range(2):
                response = client.get(with_query(url, junk))
                assert response.status_code in {200, 400}, (url, junk)
        assert entries() == before, url


def test_parameters_a_page_does_not_read_are_served_from_its_entry_and_kept_out_of_its_links(client, case):
    url = reverse("catalogue:case-list") + f"?setting={case.setting}"
    client.get(with_query(url, "utm_source=first-visitor"))  # rendered from the canonical parameters only
    response = client.get(with_query(url, "utm_source=newsletter"))
    assert response["X-Page-Cache"] == "hit"
    page = response.content.decode()
    assert "utm_source" not in page  # neither this visitor's nor the first one's
    assert f"?setting={case.setting}" in page


def test_the_list_still_quotes_ignored_values_and_such_a_page_is_never_stored(client, case):
    url = reverse("catalogue:case-list") + "?condition=junk-1"
    for _ in range(2):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "junk-1" in response.content.decode()
        assert "so it was ignored" in response.content.decode()


def test_the_order_of_the_parameters_makes_no_new_entry(client, case):
    principle = case.scores.first().principle.slug
    url = reverse("catalogue:case-list")
    client.get(f"{url}?setting={case.setting}&principle={principle}&sort=title")
    before = entries()
    response = client.get(f"{url}?sort=title&principle={principle}&setting={case.setting}")
    assert response["X-Page-Cache"] == "hit"
    assert entries() == before


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", []),
        ("x=1&utm_source=y", []),
        ("q=+time++bank+&q=", [("q", "time bank")]),
        ("page=02", [("page", "2")]),
        ("page=abc", [("page", "abc")]),  # left for the view to refuse in words (and not store)
        ("page=2&page=3", [("page", "3")]),  # the last, as QueryDict.get reads it
        ("setting=b&setting=a&setting=b&setting=", [("setting", "b"), ("setting", "a")]),
        ("sort=title&condition=c", [("condition", "c"), ("sort", "title")]),
    ],
)
def test_the_canonical_parameters_of_the_list(query, expected):
    assert LIST_QUERY.canonical(QueryDict(query)) == expected


def test_a_page_that_reads_nothing_has_one_key_whatever_the_query():
    assert pagekeys.NO_PARAMETERS.canonical(QueryDict("a=1&b=2")) == []
