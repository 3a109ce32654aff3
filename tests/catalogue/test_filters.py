"""The one FilterSet (catalogue/filters.py), as the case list uses it: OR within a filter, AND across filters,
regions with their sub-regions, principle strength, sorting, and forgiving bad input (200, the valid part applied,
a plain message for the rest).

Expected results are worked out by hand from the table in builders.world().
"""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.urls import reverse

from catalogue import selection
from catalogue.choices import EvidenceType
from catalogue.filterparts import FacetFilter
from catalogue.filters import CaseStudyFilter
from catalogue.models import OutcomeFigure
from tests.builders import OutcomeFigureFactory
from tests.support.exported import csv_rows, streamed
from tests.support.listing import ALL, get, slugs
from tests.support.pdfread import read_pdf

pytestmark = pytest.mark.django_db


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


# --- bad input: 200, the valid part applied, a plain message ---------------------------------------------------


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


# --- a new filter is one declaration ---------------------------------------------------------------------------


class EvidenceFilter(FacetFilter):
    """A filter as a developer would add one: cases with an outcome figure of the chosen kinds of evidence."""

    def __init__(self, **kwargs):
        super().__init__(choices=EvidenceType.choices, **kwargs)

    def narrow(self, qs, values):
        return qs.filter(pk__in=OutcomeFigure.objects.filter(evidence_type__in=values).values("case_study_id"))

    def counts(self, cases):
        figures = OutcomeFigure.objects.filter(case_study_id__in=cases.values("pk")).values("evidence_type")
        return {row["evidence_type"]: row["n"] for row in figures.annotate(n=Count("case_study", distinct=True))}


@pytest.fixture
def evidence_filter(monkeypatch, world):
    """The new filter declared on the FilterSet (what filters.py would hold), and two cases with figures."""
    monkeypatch.setitem(
        CaseStudyFilter.base_filters, "evidence", EvidenceFilter(label="Evidence of results", chip_name="Evidence")
    )
    OutcomeFigureFactory(case_study=world.cases["alpha"], evidence_type=EvidenceType.TRIAL)
    OutcomeFigureFactory(case_study=world.cases["bravo"], evidence_type=EvidenceType.COHORT)
    return world


def test_a_filter_declared_once_is_on_the_list_its_chips_the_booklet_the_exports_and_the_api(client, evidence_filter):
    """Adding a filter touches the FilterSet (and a QuerySet method): every reader of the selection follows."""
    page = client.get(reverse("catalogue:case-list"), {"evidence": "trial"})
    html = page.content.decode()
    assert [case.slug for case in page.context["cases"]] == ["alpha"]
    assert '<legend class="facet__legend">Evidence of results</legend>' in html
    assert {o.value: o.count for o in page.context["facets"]["evidence"].options}["cohort"] == 1
    assert [chip.label for chip in page.context["chips"]] == ["Evidence: Randomised controlled trial"]
    filterset = CaseStudyFilter({"evidence": ["trial"]})
    assert selection.query_string(filterset) == "evidence=trial"
    assert "Evidence of results: Randomised controlled trial" in selection.in_words(filterset)
    exported = csv_rows(streamed(client.get(reverse("catalogue:case-export-csv"), {"evidence": "trial"})))
    assert [row["slug"] for row in exported] == ["alpha"]
    api = client.get(reverse("api:case-list"), {"evidence": "cohort"}).json()
    assert [case["slug"] for case in api["results"]] == ["bravo"]
    booklet = read_pdf(client.get(reverse("catalogue:case-booklet-pdf"), {"evidence": "trial"}).content)
    assert "Evidence of results: Randomised controlled trial" in " ".join(booklet.text.split())
    unknown = client.get(reverse("catalogue:case-list"), {"evidence": "nonsense"})
    assert "No evidence of results matches “nonsense”, so it was ignored." in unknown.context["notices"]
