"""The insights page: the gap matrix (principle x condition, principle x region) and the spread of scores."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse

from catalogue.explore import insights
from catalogue.filters import CaseStudyFilter
from catalogue.models import Region, Status
from principles.models import Principle
from tests.builders import ConditionFactory, catalogue_of, complete_case, region_tree

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:insights")


def matrices(min_score: int = 2):
    principles = list(Principle.objects.all())
    by_condition = insights.gap_matrix(
        "condition", insights.tally("condition", min_score), principles, insights.condition_headings(), min_score
    )
    by_region = insights.gap_matrix(
        "region",
        insights.tally("region", min_score, Region.objects.tree()),
        principles,
        insights.region_headings(Region.objects.tree()),
        min_score,
    )
    return by_condition, by_region


def cell(matrix: insights.GapMatrix, heading_slug: str, principle_number: int) -> insights.Cell:
    row = next(r for r in matrix.rows if r.heading.slug == heading_slug)
    return next(c for c in row.cells if c.principle.number == principle_number)


@pytest.fixture
def small_catalogue():
    """Mental health: three published cases scoring 3, 2 and 1 on principle 1; one draft scoring 3.
    COPD: one case (also mental health) scoring 2; Dementia: no case at all."""
    mental = ConditionFactory(slug="mental-health", name="Mental health")
    copd = ConditionFactory(slug="copd", name="COPD")
    ConditionFactory(slug="dementia", name="Dementia")
    regions = region_tree()
    a = complete_case(scores=(3, 0, 0, 0, 0, 0), region=regions["london"])
    b = complete_case(scores=(2, 0, 0, 0, 0, 0), region=regions["england"])
    c = complete_case(scores=(1, 0, 0, 0, 0, 0), region=regions["finland"])
    draft = complete_case(scores=(3, 3, 3, 3, 3, 3), region=regions["london"], status=Status.DRAFT)
    for case in (a, b, c, draft):
        case.conditions.add(mental)
    b.conditions.add(copd)
    return {"a": a, "b": b, "c": c, "draft": draft}


def test_a_cell_counts_published_cases_at_or_above_the_minimum_and_averages_their_scores(small_catalogue):
    by_condition, _ = matrices(min_score=2)
    mental = cell(by_condition, "mental-health", 1)
    assert mental.count == 2  # 3 and 2; the case at 1 and the draft are left out
    assert mental.average == pytest.approx(2.5)
    assert cell(by_condition, "copd", 1).count == 1
    assert cell(by_condition, "mental-health", 2).count == 0


def test_min_score_changes_what_a_cell_counts(small_catalogue):
    assert cell(matrices(min_score=1)[0], "mental-health", 1).count == 3
    assert cell(matrices(min_score=1)[0], "mental-health", 1).average == pytest.approx(2.0)
    assert cell(matrices(min_score=3)[0], "mental-health", 1).count == 1


def test_a_condition_with_no_case_is_still_a_row_of_empty_cells(small_catalogue):
    by_condition, _ = matrices()
    dementia = next(r for r in by_condition.rows if r.heading.slug == "dementia")
    assert dementia.case_count == 0
    assert all(c.is_empty and c.shade == 0 and c.average is None for c in dementia.cells)


def test_a_region_counts_the_cases_of_its_sub_regions(small_catalogue):
    _, by_region = matrices(min_score=2)
    assert cell(by_region, "london", 1).count == 1
    assert cell(by_region, "england", 1).count == 2  # London's case and the England-wide one
    assert cell(by_region, "united-kingdom", 1).count == 2
    assert cell(by_region, "finland", 1).count == 0  # scores 1 only
    heading = {r.heading.slug: r.heading.depth for r in by_region.rows}
    assert heading == {"united-kingdom": 0, "england": 1, "london": 2, "finland": 0}


def test_each_cell_links_to_the_matching_filtered_list(small_catalogue):
    by_condition, by_region = matrices(min_score=3)
    url = urlsplit(cell(by_condition, "copd", 4).url)
    assert url.path == reverse("catalogue:case-list")
    principle_4 = Principle.objects.get(number=4).slug
    assert parse_qs(url.query) == {"principle": [principle_4], "condition": ["copd"], "min_score": ["3"]}
    assert parse_qs(urlsplit(cell(by_region, "england", 1).url).query)["region"] == ["england"]


def test_shading_grows_with_the_count_and_empty_is_its_own_shade():
    assert insights.shade(0, 10) == 0
    assert insights.shade(1, 10) == 1
    assert insights.shade(5, 10) == 2
    assert insights.shade(10, 10) == 4
    assert insights.shade(3, 0) == 0


@pytest.mark.slow
def test_every_cell_counts_exactly_what_its_link_lists_on_the_real_catalogue():
    """The gap matrix and the case list agree: same semantics of principle strength, conditions and regions."""
    call_command("load_catalogue", verbosity=0)
    checked = 0
    # The default minimum and the strictest (min_score=1 is covered by the tests on built data above).
    for matrix in [m for min_score in (2, 3) for m in matrices(min_score)]:
        for row in matrix.rows:
            for c in row.cells:
                params = QueryDict(urlsplit(c.url).query)  # as the list page reads it
                assert CaseStudyFilter(params).qs.count() == c.count, c.url
                checked += 1
    assert checked == 2 * (15 + 19) * 6


def test_spread_counts_published_cases_at_each_level(small_catalogue):
    principles = list(Principle.objects.all())
    spread = insights.score_spread(principles, insights.level_counts(principles))
    first = spread[0]
    assert first.principle.number == 1
    assert first.counts == (0, 1, 1, 1)
    assert spread[1].counts == (3, 0, 0, 0)
    assert first.at_least(2) == 2
    assert [round(width) for _level, _n, _x, width in first.segments] == [33, 33, 33]


def test_the_page_shows_both_matrices_as_real_tables_with_links_and_marked_gaps(client, small_catalogue):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<table class="gap-matrix">') == 2
    assert '<th scope="row" class="gap-matrix__heading gap-matrix__heading--depth-0">Dementia' in html
    assert html.count('<th scope="col" class="gap-matrix__principle">') == 12
    assert "gap-cell--shade-0" in html and '<span class="gap-cell__none">none</span>' in html
    assert "scoring 2 (clearly present) or more" in html
    mental_link = cell(matrices()[0], "mental-health", 1).url.replace("&", "&amp;")
    assert f'href="{mental_link}"' in html
    assert "avg 2.5" in html
    assert "The scores are this catalogue's own assessment" in html


def test_min_score_is_chosen_on_the_page(client, small_catalogue):
    html = client.get(URL, {"min_score": "3"}).content.decode()
    assert '<option value="3" selected>' in html
    assert "scoring 3 (defining feature) or more" in html
    assert "min_score=3" in html


@pytest.mark.parametrize("bad", ["9", "0", "abc", "2.5", "-1", "x" * 10_000])
def test_a_bad_min_score_falls_back_to_the_default_and_says_so(client, small_catalogue, bad):
    response = client.get(URL, {"min_score": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The minimum score must be 1, 2 or 3, so the default (2) was used instead." in html
    assert '<option value="2" selected>' in html


def test_an_empty_or_missing_min_score_is_the_default_without_a_message(client, small_catalogue):
    for params in ({}, {"min_score": ""}):
        html = client.get(URL, params).content.decode()
        assert '<option value="2" selected>' in html
        assert "The minimum score must be" not in html


def test_a_repeated_min_score_uses_the_last_like_the_list(client, small_catalogue):
    html = client.get(f"{URL}?min_score=1&min_score=3").content.decode()
    assert '<option value="3" selected>' in html


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    catalogue_of(size)
    # principles, headings (3), two tallies of two GROUP BY queries each, the spread and the case count
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.context["case_count"] == size
