"""The principle profile (catalogue/profile.py): the distance between two profiles, and the rings of profiles at each
distance that similar cases are looked up by. (That the stored profile follows the scores is in test_signals.py.)"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue import profile

# --- distances and rings -----------------------------------------------------------------------------------

ALL_PROFILES = ["".join(p) for p in itertools.product(profile.SYMBOLS, repeat=profile.PRINCIPLE_COUNT)]


def test_distance_counts_only_what_this_case_has_scored_and_an_unscored_other_as_the_whole_scale():
    assert profile.distance("323122", "222222") == 3
    assert profile.distance("3-----", "000000") == 3
    assert profile.distance("2-----", "-33333") == 3
    assert profile.distance("------", "012301") == 0


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=profile.SYMBOLS, min_size=6, max_size=6), st.integers(min_value=0, max_value=5))
def test_rings_hold_exactly_the_profiles_at_each_distance(mine, max_distance):
    expected = [sorted(p for p in ALL_PROFILES if profile.distance(mine, p) == d) for d in range(max_distance + 1)]
    assert [list(ring) for ring in profile.rings(mine, max_distance)] == expected
