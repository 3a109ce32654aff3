"""The principle pages: meaning, what each level looks like, how the catalogue's cases spread, the strongest."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from catalogue.models import Status
from principles.models import Principle, Score
from tests.builders import catalogue_of, complete_case, make_principles

pytestmark = pytest.mark.django_db


def detail_url(slug: str = "peer-support-networks") -> str:
    return reverse("catalogue:principle-detail", kwargs={"slug": slug})


@pytest.fixture
def scored():
    """Principle 3 (peer support networks): two published cases at 3, one at 1; a draft at 3."""
    return {
        "top": [complete_case(scores=(0, 0, 3, 0, 0, 0), title=t) for t in ("Zeta scheme", "Alpha scheme")],
        "low": complete_case(scores=(0, 0, 1, 0, 0, 0), title="Middling scheme"),
        "draft": complete_case(scores=(3, 3, 3, 3, 3, 3), title="Unpublished scheme", status=Status.DRAFT),
    }


def test_the_list_shows_the_six_principles_with_how_many_cases_show_each(client, scored):
    response = client.get(reverse("catalogue:principle-list"))
    assert response.status_code == 200
    html = response.content.decode()
    for principle in Principle.objects.all():
        assert f'href="{principle.get_absolute_url()}"' in html
        assert escape(principle.description) in html
    assert "<strong>2 of 3</strong> case studies show it clearly" in html  # peer support networks
    assert "own assessment" in html


def test_the_detail_shows_meaning_and_what_each_level_looks_like(client, scored):
    principle = Principle.objects.get(slug="peer-support-networks")
    html = client.get(detail_url()).content.decode()
    assert f"<h1>{escape(principle.name)}</h1>" in html
    assert escape(principle.description) in html
    for level, guidance in principle.levels:
        assert f'<span class="score-badge score-{level.value}">{level.value}</span> {level.label}</h3>' in html
        assert escape(guidance) in html


def test_the_detail_counts_published_cases_at_each_level(client, scored):
    response = client.get(detail_url())
    assert response.context["spread"].counts == (0, 1, 0, 2)  # the draft is not counted
    html = response.content.decode()
    assert "Of the 3 published case studies, 2 show this principle clearly or as a defining feature." in html
    assert '<td class="num">2</td>' in html and "67%" in html
    assert "?principle=peer-support-networks&amp;min_score=3" in html


def test_the_strongest_cases_are_the_published_ones_at_the_top_level_by_title(client, scored):
    response = client.get(detail_url())
    assert [case.title for case in response.context["strongest"]] == ["Alpha scheme", "Zeta scheme"]
    html = response.content.decode()
    assert f'href="{scored["top"][0].get_absolute_url()}"' in html
    assert "Middling scheme" not in html and "Unpublished scheme" not in html


def test_when_no_case_reaches_3_the_strongest_are_those_at_2(client):
    complete_case(scores=(2, 1, 1, 1, 1, 1), title="Two scheme")
    complete_case(scores=(1, 1, 1, 1, 1, 1), title="One scheme")
    response = client.get(detail_url("building-on-capabilities"))
    assert response.context["top"] == Score.CLEARLY_PRESENT
    assert [c.title for c in response.context["strongest"]] == ["Two scheme"]


def test_an_empty_catalogue_still_explains_the_principle(client):
    make_principles()
    response = client.get(detail_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "No case studies have been published yet." in html
    assert "No published case study scores above 0 on this principle yet." in html


def test_previous_and_next_principles_are_linked(client, scored):
    html = client.get(detail_url()).content.decode()
    assert f'href="{detail_url("mutuality-and-reciprocity")}" rel="prev"' in html
    assert f'href="{detail_url("blurring-distinctions")}" rel="next"' in html


def test_an_unknown_principle_is_a_404(client):
    make_principles()
    assert client.get(detail_url("no-such-principle")).status_code == 404


@pytest.mark.parametrize("size", [3, 40])
def test_the_detail_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    catalogue_of(size)
    with django_assert_max_num_queries(3):
        response = client.get(detail_url())
    assert response.status_code == 200
    assert response.context["spread"].total == size


@pytest.mark.parametrize("size", [3, 40])
def test_the_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    catalogue_of(size)
    with django_assert_max_num_queries(2):
        assert client.get(reverse("catalogue:principle-list")).status_code == 200
