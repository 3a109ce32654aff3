"""Facet counts (catalogue/facets.py): each option's count is what choosing it would give, counted within the
other filters but not its own; principles, which combine with AND, keep the other chosen principles applied.

Expected counts are worked out by hand from the table in builders.world().
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from catalogue import facets
from catalogue.filters import CaseStudyFilter
from tests.support.listing import counts, get

pytestmark = pytest.mark.django_db


def test_facet_counts_without_filters(client, world):
    response = get(client)
    assert counts(response, "condition") == {"copd": 3, "mental-health": 3, "dementia": 0}
    assert counts(response, "approach") == {"peer-support-groups": 3, "timebanks": 1, "self-management": 2}
    assert counts(response, "setting") == {"health": 3, "social-care": 1, "community": 1, "cross-sector": 0}
    assert counts(response, "region") == {
        "united-kingdom": 4,
        "england": 3,
        "london": 1,
        "north-west": 1,
        "scotland": 1,
        "finland": 1,
    }
    assert counts(response, "principle") == {
        "building-on-capabilities": 4,
        "mutuality-and-reciprocity": 3,
        "peer-support-networks": 4,
        "blurring-distinctions": 4,
        "facilitating-not-delivering": 4,
        "recognising-people-as-assets": 4,
    }


def test_facet_counts_follow_the_other_filters_but_not_their_own(client, world):
    response = get(client, "condition=copd")
    # Its own facet still offers the alternatives (OR): counts as if no condition were chosen.
    assert counts(response, "condition") == {"copd": 3, "mental-health": 3, "dementia": 0}
    # Other facets count within COPD cases: alpha, charlie, echo.
    assert counts(response, "approach") == {"peer-support-groups": 3, "timebanks": 0, "self-management": 1}
    assert counts(response, "region") == {
        "united-kingdom": 3,
        "england": 2,
        "london": 1,
        "north-west": 0,
        "scotland": 1,
        "finland": 0,
    }


def test_principle_counts_keep_the_other_chosen_principles_applied(client, world):
    # COPD cases at least 2 on peer networks: alpha (3 2 3 1 2 2) and echo (2 2 2 2 2 2).
    response = get(client, "condition=copd&principle=peer-support-networks")
    assert counts(response, "principle") == {
        "building-on-capabilities": 2,
        "mutuality-and-reciprocity": 2,
        "peer-support-networks": 2,
        "blurring-distinctions": 1,
        "facilitating-not-delivering": 2,
        "recognising-people-as-assets": 2,
    }


def test_filter_counts_reuse_the_one_filterset(world):
    """The list's counts come from CaseStudyFilter itself, so exports and the API see the same numbers."""
    filterset = CaseStudyFilter({"condition": ["copd"]})
    assert [c.slug for c in filterset.qs] == ["alpha", "charlie", "echo"]
    assert {o.value: o.count for o in facets.count(filterset)["approach"].options}["self-management"] == 1


FILTER_VALUES = {
    "condition": ["copd", "mental-health", "dementia"],
    "region": ["united-kingdom", "england", "london", "north-west", "scotland", "finland"],
    "approach": ["peer-support-groups", "timebanks", "self-management"],
    "setting": ["health", "social-care", "community", "cross-sector"],
    "principle": ["building-on-capabilities", "mutuality-and-reciprocity", "blurring-distinctions"],
}


@st.composite
def filter_choices(draw) -> dict[str, list[str]]:
    data = {
        name: draw(st.lists(st.sampled_from(values), max_size=2, unique=True)) for name, values in FILTER_VALUES.items()
    }
    data["min_score"] = [draw(st.sampled_from(["1", "2", "3"]))]
    if draw(st.booleans()):
        data["q"] = [draw(st.sampled_from(["peer", "time bank", "recovery", "-breathe", "network or college"]))]
    return {name: values for name, values in data.items() if values}


@pytest.mark.slow
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=filter_choices())
def test_every_count_is_what_choosing_it_would_give(world, data):
    """The facet counts, and the result count, against the FilterSet's own results."""
    filterset = CaseStudyFilter(data)
    counted = facets.count(filterset)
    for name, facet in counted.items():
        options = facet.options
        for option in options:
            # Principles combine with AND (choosing one more narrows); other filters with OR within themselves,
            # so an option's count is what choosing it alone would give.
            chosen = [*dict.fromkeys([*data.get(name, []), option.value])] if name == "principle" else [option.value]
            assert option.count == CaseStudyFilter({**data, name: chosen}).qs.count(), (name, option.value)
