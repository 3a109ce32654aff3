"""The insights page: the gap matrix (principle x condition, principle x place) and the spread of scores."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse

from catalogue.choices import Reach, RegionKind
from catalogue.explore import insights, placerows
from catalogue.filters import CaseStudyFilter
from catalogue.models import Region, Status
from principles.models import Principle
from tests.builders import ConditionFactory, add_site, catalogue_of, complete_case, region, region_tree

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:insights")


def matrices(min_score: int = 2):
    principles = list(Principle.objects.all())
    by_condition = insights.gap_matrix(
        "condition", insights.tally(min_score), principles, insights.condition_headings(), min_score
    )
    tree, kinds = Region.objects.tree(), placerows.area_kinds()
    by_place = insights.gap_matrix(
        "place",
        placerows.place_tally(min_score, tree, kinds, principles),
        principles,
        placerows.place_headings(tree, kinds),
        min_score,
    )
    return by_condition, by_place


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


def test_an_area_counts_the_cases_of_the_areas_below_it(small_catalogue):
    _, by_place = matrices(min_score=2)
    assert cell(by_place, "london", 1).count == 1
    assert cell(by_place, "england", 1).count == 2  # London's case and the one filed under England
    assert cell(by_place, "united-kingdom", 1).count == 2
    assert cell(by_place, "finland", 1).count == 0  # scores 1 only
    heading = {r.heading.slug: r.heading.depth for r in by_place.rows}
    assert heading == {
        "united-kingdom": 0, "england": 1, "london": 2, "finland": 0, "uk-wide-united-kingdom": 0,
        "nation-wide-england": 0,
    }  # fmt: skip


def test_each_cell_links_to_the_matching_filtered_list(small_catalogue):
    by_condition, by_place = matrices(min_score=3)
    url = urlsplit(cell(by_condition, "copd", 4).url)
    assert url.path == reverse("catalogue:case-list")
    principle_4 = Principle.objects.get(number=4).slug
    assert parse_qs(url.query) == {"principle": [principle_4], "condition": ["copd"], "min_score": ["3"]}
    england = parse_qs(urlsplit(cell(by_place, "england", 1).url).query)
    assert england["region"] == ["england"] and england["programmes"] == ["exclude"]
    assert england["reach"] == ["one-site", "several-sites"]
    programmes = parse_qs(urlsplit(cell(by_place, "nation-wide-england", 1).url).query)
    assert programmes["region"] == ["england"] and programmes["reach"] == ["nation-wide"]
    assert "programmes" not in programmes


@pytest.fixture
def places_catalogue():
    """UK > England > North East, London (> Lambeth); UK > Scotland; Finland. Every case scores 3 on principle 1:
    local in Lambeth, in North East and London (two sites), twice in London (one case), in Finland; one UK-wide
    programme (also begun in Finland), one nation-wide programme for England and Scotland."""
    areas = region_tree()
    areas["north-east"] = region("north-east", "North East", RegionKind.ENGLISH_REGION, "E12000001", areas["england"])
    areas["lambeth"] = region("lambeth", "Lambeth", RegionKind.LOCAL_AUTHORITY, "E09000022", areas["london"])
    areas["scotland"] = region("scotland", "Scotland", RegionKind.NATION, "S92000003", areas["uk"], position=1)
    top = (3, 2, 2, 2, 2, 2)
    cases = {
        "lambeth": complete_case("In Lambeth", scores=top, region=areas["lambeth"]),
        "two-regions": complete_case("Two regions", scores=top, region=areas["north-east"]),
        "twice-london": complete_case("Twice in London", scores=top, region=areas["london"]),
        "finland": complete_case("In Finland", scores=top, region=areas["finland"]),
        "uk-wide": complete_case("Everywhere", scores=top, region=areas["uk"]),
        "nation-wide": complete_case("Two nations", scores=top, region=areas["england"], reach=Reach.NATION_WIDE),
    }
    add_site(cases["two-regions"], areas["london"])
    add_site(cases["twice-london"], areas["lambeth"], name="Brixton")
    add_site(cases["uk-wide"], areas["finland"], name="Helsinki")
    add_site(cases["nation-wide"], areas["scotland"])
    return cases


def place_counts(matrix: insights.GapMatrix) -> dict[str, int]:
    return {row.heading.slug: row.case_count for row in matrix.rows}


def test_a_uk_wide_programme_is_counted_once_in_its_own_row_and_not_in_the_regions(places_catalogue):
    counts = place_counts(matrices()[1])
    assert counts["uk-wide-united-kingdom"] == 1
    assert counts["north-east"] == 1  # the case in two regions; not the UK-wide or the nation-wide programme
    assert counts["united-kingdom"] == 3  # the local cases only
    assert counts["finland"] == 1  # where the UK-wide programme began is not counted again
    assert counts["nation-wide-england"] == 1 and counts["nation-wide-scotland"] == 1
    assert counts["scotland"] == 0
    assert "lambeth" not in counts  # local authorities are not rows


def test_a_case_in_two_regions_is_in_both_and_once_in_its_nation(places_catalogue):
    counts = place_counts(matrices()[1])
    assert counts["london"] == 3  # Lambeth's case, the case in two regions, the case twice in London
    assert counts["north-east"] == 1
    assert counts["england"] == 3
    assert cell(matrices()[1], "england", 1).count == 3
    assert cell(matrices()[1], "england", 1).average == pytest.approx(3.0)


def test_every_place_cell_counts_what_its_link_lists(places_catalogue):
    checked = 0
    for min_score in (1, 3):
        for row in matrices(min_score)[1].rows:
            for c in row.cells:
                assert CaseStudyFilter(QueryDict(urlsplit(c.url).query)).qs.count() == c.count, c.url
                checked += 1
    assert checked == 2 * 9 * 6


def test_the_place_rows_are_counted_in_two_queries(places_catalogue, django_assert_num_queries):
    tree, kinds, principles = Region.objects.tree(), placerows.area_kinds(), list(Principle.objects.all())
    with django_assert_num_queries(2):
        placerows.place_tally(2, tree, kinds, principles)


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
    assert checked == sum(len(m.rows) for min_score in (2, 3) for m in matrices(min_score)) * 6


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
    assert 'aria-describedby="place-matrix-note"' in html
    assert "Programmes covering a whole nation or the whole UK are counted once, in their own rows" in html
    assert ">UK-wide programmes <span" in html and ">Nation-wide programmes: England <span" in html


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
    # principles, condition headings, the area tree and kinds, the condition tally, the place tally (two), the
    # spread and the case count
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.context["case_count"] == size
