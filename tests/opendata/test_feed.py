"""The feed follows a selection (catalogue/opendata/feeds.py, catalogue/changes.py): the list's filters, a title
that names them, entries for new cases and for revised scores, and a 400 for what it does not understand."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from catalogue.models import CaseStudy, PrincipleScore
from tests.builders import varied_cases

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
FEED = reverse("catalogue:feed")


def read(response) -> ElementTree.Element:
    assert response.status_code == 200, response.content
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own feed, built in this test


def entries(feed) -> list[tuple[str, str]]:
    return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}summary").text) for e in feed.iter(f"{ATOM}entry")]


@pytest.fixture
def cases(principles):
    made = varied_cases()
    for slug, day in [("alpha", "01"), ("beta", "03"), ("gamma", "02")]:
        CaseStudy.objects.filter(slug=slug).update(first_published_at=f"2026-{day}-01T10:00Z")
    return made


def test_the_feed_takes_the_lists_filters_and_its_title_says_them(client, cases):
    feed = read(client.get(FEED + "?condition=copd&region=wales"))
    assert [title for title, _summary in entries(feed)] == ["Beta breathing club"]
    assert feed.find(f"{ATOM}title").text == "Co-production Catalogue: Condition or population: COPD; Place: Wales"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}  # the feed's own
    assert links["self"] == "http://testserver/feed/?condition=copd&region=wales"
    assert links["alternate"] == "http://testserver/case-studies/?condition=copd&region=wales"
    unfiltered = read(client.get(FEED))
    assert (
        unfiltered.find(f"{ATOM}title").text
        == "Co-production Catalogue: All published case studies (no filters chosen)"
    )
    assert len(entries(unfiltered)) == 3  # the filters really narrowed it


def test_a_revision_of_the_agreed_scores_is_an_entry_of_its_own(client, cases):
    score = PrincipleScore.objects.get(case_study__slug="alpha", principle__number=4)
    before = score.score
    score.score = 3
    score.save()  # after its first publication: a revision
    found = entries(read(client.get(FEED)))
    assert found[0][0] == "Scores revised: Alpha time bank"
    assert found[0][1].startswith(f"Agreed scores revised: {score.principle.short_name} {before} to 3.")
    assert ("Alpha time bank", f"New case study. {cases['alpha'].summary}") in found  # its publication stays
    assert not any(title.startswith("Scores revised") for title, _ in entries(read(client.get(FEED + "?region=wales"))))


def test_a_score_saved_again_unchanged_is_no_revision(client, cases):
    for score in PrincipleScore.objects.filter(case_study__slug="beta"):
        score.save()
    assert not any(title.startswith("Scores revised") for title, _ in entries(read(client.get(FEED))))


@pytest.mark.parametrize(("query", "parameter"), [
    ("condition=nonsense", "condition"), ("regoin=wales", "regoin"), ("region=E99999999", "region"),
    ("q=%22time", "q"), ("min_score=9", "min_score"),
])  # fmt: skip
def test_the_feed_refuses_what_it_does_not_understand(client, cases, query, parameter):
    response = client.get(f"{FEED}?{query}")
    assert response.status_code == 400
    assert parameter in response.json()


def test_the_list_links_its_selection_to_the_feed(client, cases):
    html = client.get(reverse("catalogue:case-list") + "?region=wales&condition=copd&sort=bogus").content.decode()
    assert '<a href="/feed/?condition=copd&amp;region=wales">Follow these results</a>' in html
    assert 'type="application/atom+xml" title="New and revised case studies in this selection" ' \
           'href="/feed/?condition=copd&amp;region=wales"' in html  # fmt: skip
    assert client.get("/feed/?condition=copd&region=wales").status_code == 200
