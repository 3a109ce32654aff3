"""The compare page: two to four published cases side by side, and plain answers to every other request."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from catalogue.explore.compare import CompareRequest, build_comparison, fact_rows
from catalogue.models import Status
from principles.models import Principle
from tests.builders import ApproachFactory, ConditionFactory, OutcomeFigureFactory, catalogue_of, complete_case

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:compare")


def compare(client, *slugs):
    return client.get(URL, {"case": list(slugs)})


@pytest.fixture
def cases():
    return catalogue_of(5)


def test_two_cases_are_compared_in_one_chart_and_a_table_of_facts(client, cases):
    first, second = cases[0], cases[1]
    response = compare(client, first.slug, second.slug)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="profile-chart"') == 1  # one chart, profiles overlaid
    assert "Principle profiles compared" in html
    assert '<ul class="chart-legend">' in html and f"{first.title} <span" in html and f"{second.title} <span" in html
    assert html.count('<th scope="col" class="compare-table__case">') == 2
    for label in ["Lead organisation", "Place", "Reach", "Sites", "Years", "Setting", "Conditions", "Approaches"]:
        assert f'<th scope="row">{label}</th>' in html
    assert '<th scope="row">Outcome figures</th>' in html and '<th scope="row">Strongest evidence</th>' in html
    for principle in Principle.objects.all():
        assert f'href="{principle.get_absolute_url()}">{principle.number}. {principle.short_name}</a>' in html
    assert "Randomised controlled trial" in html  # strongest of an evaluation and a trial
    assert "own assessment" in html


def test_the_columns_keep_the_order_asked_for(client, cases):
    response = compare(client, cases[2].slug, cases[0].slug, cases[1].slug)
    assert [c.case.slug for c in response.context["columns"]] == [cases[2].slug, cases[0].slug, cases[1].slug]


def test_each_column_links_to_the_comparison_without_that_case(client, cases):
    slugs = [c.slug for c in cases[:3]]
    columns = compare(client, *slugs).context["columns"]
    for column in columns:
        url = urlsplit(column.remove_url)
        assert url.path == URL
        assert parse_qs(url.query)["case"] == [s for s in slugs if s != column.case.slug]


def test_four_cases_are_the_most_compared(client, cases):
    response = compare(client, *[c.slug for c in cases[:4]])
    assert response.status_code == 200
    assert len(response.context["columns"]) == 4
    assert "diamond marker" in response.content.decode()


def test_one_case_explains_that_two_are_needed_and_offers_the_picker(client, cases):
    response = compare(client, cases[0].slug)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Comparing needs at least two case studies. Choose one or more to compare with {cases[0].title}." in html
    assert "profile-chart" not in html
    assert f'name="case" value="{cases[0].slug}" id="pick-{cases[0].slug}" checked' in html
    assert f'name="case" value="{cases[1].slug}" id="pick-{cases[1].slug}">' in html


def test_five_cases_are_too_many_and_the_picker_keeps_them_ticked(client, cases):
    response = compare(client, *[c.slug for c in cases])
    assert response.status_code == 400
    html = response.content.decode()
    assert "You chose 5 case studies, but up to 4 can be compared side by side." in html
    assert "profile-chart" not in html
    assert html.count(" checked>") == 5
    assert '<form class="compare-picker" method="get"' in html


def test_an_unknown_slug_alone_is_a_bad_request_with_a_plain_message(client, cases):
    response = compare(client, "no-such-case")
    assert response.status_code == 400
    html = response.content.decode()
    assert "No published case study has that address (“no-such-case”), so it was left out." in html
    assert "None of the case studies you chose could be found." in html
    assert 'class="compare-picker"' in html


def test_unknown_slugs_are_left_out_and_the_rest_compared(client, cases):
    response = compare(client, cases[0].slug, "nope", cases[1].slug, "<script>")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["columns"]) == 2
    assert "(“nope”, “&lt;script&gt;”), so they were left out." in html
    assert "<script>" not in html


def test_a_draft_is_not_comparable(client, cases):
    draft = complete_case(status=Status.DRAFT)
    response = compare(client, cases[0].slug, draft.slug)
    assert response.status_code == 200
    assert "left out" in response.content.decode()
    assert len(response.context["comparison"].cases) == 1


def test_a_repeated_slug_is_shown_once_and_said_so(client, cases):
    response = compare(client, cases[0].slug, cases[1].slug, cases[0].slug)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["columns"]) == 2
    assert f"You chose “{cases[0].slug}” more than once; it is shown once." in html


def test_the_same_case_twice_is_one_case(client, cases):
    response = compare(client, cases[0].slug, cases[0].slug)
    assert response.status_code == 200
    assert "Comparing needs at least two" in response.content.decode()


def test_no_case_is_the_picker(client, cases):
    for params in ({}, {"case": ""}, {"case": ["", " "]}):
        response = client.get(URL, params)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Choose two to four case studies" in html
        assert html.count('type="checkbox" name="case"') == 5


def test_absurd_input_is_bounded(client, cases):
    slugs = [f"case-{n}" for n in range(500)] + ["x" * 10_000]
    response = compare(client, *slugs)
    assert response.status_code == 400
    assert "Only the first 20 case studies you chose were looked at." in response.content.decode()


def test_request_parsing_keeps_order_and_reports_repeats():
    request = CompareRequest.from_params(["b", "a", "b", " ", "c", "a"])
    assert request.slugs == ("b", "a", "c")
    assert request.repeated == ("b", "a")


def test_fact_rows_give_one_value_per_case_without_queries(django_assert_num_queries):
    condition, approach = ConditionFactory(name="Diabetes"), ApproachFactory(name="Timebanks")
    a = complete_case(scores=(3, 2, 1, 0, 3, 2), start_year=2000, still_running=True, title="Alpha")
    b = complete_case(scores=(1, 1, 1, 1, 1, 1), start_year=2001, end_year=2005, title="Beta")
    a.conditions.add(condition)
    b.approaches.add(approach)
    OutcomeFigureFactory(case_study=b, evidence_type="self-reported")
    comparison = build_comparison(CompareRequest.from_params([a.slug, b.slug]))
    principles = list(Principle.objects.all())
    with django_assert_num_queries(0):
        rows = {row.label: row for row in fact_rows(comparison.cases, principles)}
    assert rows["Years"].values == ("Since 2000", "2001 to 2005")
    assert "Diabetes" in rows["Conditions"].values[0] and "Diabetes" not in rows["Conditions"].values[1]
    assert "Timebanks" in rows["Approaches"].values[1]
    assert rows["1. Capabilities"].score_cells == [(3, "Defining feature"), (1, "Emerging")]
    assert rows["4. Blurring roles"].score_cells == [(0, "Not evident"), (1, "Emerging")]
    assert rows["Outcome figures"].values == ("0", "1")
    assert rows["Strongest evidence"].values == ("No outcome figures", "Self-reported by the organisation")


@pytest.mark.parametrize("size", [4, 40])
def test_compare_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    cases = catalogue_of(size)
    # Everything about the cases (seven queries, their sites among them), the principles, and the picker's one
    # query for a small catalogue.
    with django_assert_max_num_queries(9):
        response = compare(client, *[c.slug for c in cases[:4]])
    assert response.status_code == 200
    assert len(response.context["columns"]) == 4


# --- the picker at scale ----------------------------------------------------------------------------------------


@pytest.fixture
def large_catalogue():
    """More published cases than the picker lists whole: two featured, the rest synthetic."""
    from catalogue import synthetic
    from catalogue.explore.compare import PICKER_WHOLE_CATALOGUE_UP_TO

    real = catalogue_of(3)
    synthetic.generate(PICKER_WHOLE_CATALOGUE_UP_TO, seed=4)
    for case in real[:2]:
        case.featured = True
        case.save()
    return real


def picked(response) -> list[str]:
    return re.findall(r'type="checkbox" name="case" value="([^"]+)"', response.content.decode())


def test_a_small_catalogue_is_listed_whole_in_the_picker(client, cases):
    response = compare(client, cases[0].slug)
    assert picked(response) == [cases[0].slug, *[c.slug for c in cases[1:]]]
    assert 'name="find"' not in response.content.decode()


def test_a_large_catalogue_offers_featured_cases_and_a_search_instead(client, large_catalogue):
    response = compare(client, large_catalogue[2].slug)
    html = response.content.decode()
    assert picked(response) == [large_catalogue[2].slug, large_catalogue[0].slug, large_catalogue[1].slug]
    assert "Featured case studies" in html
    assert 'name="find"' in html


def test_the_picker_search_adds_matches_and_keeps_the_chosen_cases(client, large_catalogue):
    chosen = large_catalogue[0]
    response = client.get(URL, {"case": [chosen.slug], "find": "Catalogue case"})
    slugs = picked(response)
    assert slugs[0] == chosen.slug and slugs.count(chosen.slug) == 1
    assert set(slugs[1:]) == {large_catalogue[1].slug, large_catalogue[2].slug}
    nothing = client.get(URL, {"find": "zzzzqqq"})
    assert "No other published case studies match" in nothing.content.decode()


@pytest.mark.parametrize("find", ["", "Catalogue case"])
def test_the_picker_costs_the_same_queries_at_any_size(client, large_catalogue, django_assert_max_num_queries, find):
    # The comparison's (seven for the cases, their sites among them, and the principles) and the picker's.
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"case": [c.slug for c in large_catalogue[:2]], "find": find})
    assert response.status_code == 200
    assert len(picked(response)) <= 2 + 20
