"""The principle profile stored on each case: always the same as its scores, well formed, and found by distance."""

from __future__ import annotations

import itertools

import pytest
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue import profile, synthetic
from catalogue.models import CaseStudy, PrincipleScore, Status
from principles.models import Principle

from .catalogue_world import build_world
from .factories import (
    ApproachFactory,
    CaseStudyFactory,
    ConditionFactory,
    PrincipleScoreFactory,
    RegionFactory,
    complete_case,
    make_principles,
)
from .formdata import read_form
from .profile_checks import stored_profiles_that_differ_from_scores

pytestmark = pytest.mark.django_db


def stored(case: CaseStudy) -> str:
    return CaseStudy.objects.values_list("profile", flat=True).get(pk=case.pk)


# --- kept from the scores ----------------------------------------------------------------------------------


def test_a_case_without_scores_has_the_empty_profile(principles):
    assert stored(CaseStudyFactory()) == "------"


def test_the_profile_follows_every_score_saved_changed_and_deleted(principles):
    case = CaseStudyFactory()
    PrincipleScoreFactory(case_study=case, principle=principles[0], score=3)
    PrincipleScoreFactory(case_study=case, principle=principles[2], score=1)
    assert stored(case) == "3-1---"
    score = case.scores.get(principle=principles[2])
    score.score = 0
    score.save()
    assert stored(case) == "3-0---"
    score.delete()
    assert stored(case) == "3-----"
    assert not stored_profiles_that_differ_from_scores()


def test_a_case_loaded_before_its_scores_changed_does_not_write_its_old_profile_back(principles):
    case = complete_case(scores=[1, 1, 1, 1, 1, 1], status=Status.DRAFT)
    stale = CaseStudy.objects.get(pk=case.pk)
    PrincipleScore.objects.get(case_study=case, principle=principles[0]).delete()
    PrincipleScoreFactory(case_study=case, principle=principles[0], score=3)
    stale.title = "Saved from an old copy"
    stale.save()
    assert (CaseStudy.objects.get(pk=case.pk).title, stored(case)) == ("Saved from an old copy", "311111")


def test_the_scores_own_case_object_shows_the_new_profile(principles):
    case = CaseStudyFactory()
    PrincipleScoreFactory(case_study=case, principle=principles[1], score=2)
    assert case.profile == "-2----"


def test_editing_scores_in_admin_updates_the_profile(editor_client, principles):
    case = complete_case(scores=[1, 1, 1, 1, 1, 1], status=Status.DRAFT)
    url = reverse("admin:catalogue_casestudy_change", args=[case.pk])
    data = read_form(editor_client.get(url).content.decode(), form_id="casestudy_form")
    data["scores-3-score"] = ["3"]
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(case) == "111311"


def test_renumbering_a_principle_moves_its_score_in_every_profile():
    principles = make_principles()
    principles[5].delete()  # number 6 is free
    case = CaseStudyFactory()
    for principle, score in zip(principles[:5], [0, 1, 2, 3, 1], strict=True):
        PrincipleScoreFactory(case_study=case, principle=principle, score=score)
    assert stored(case) == "01231-"
    fifth = Principle.objects.get(number=5)
    fifth.number = 6
    fifth.save()
    assert stored(case) == "0123-1"
    assert not stored_profiles_that_differ_from_scores()


def test_synthetic_cases_are_written_with_the_profiles_of_their_scores():
    make_principles()
    for n in range(3):
        ConditionFactory(slug=f"condition-{n}")
        ApproachFactory(slug=f"approach-{n}")
    RegionFactory(slug="north")
    synthetic.generate(40, seed=3, batch_size=15)
    assert CaseStudy.objects.exclude(profile__contains="-").count() == 40
    assert not stored_profiles_that_differ_from_scores()


def test_refresh_mends_a_profile_written_behind_the_orms_back(principles):
    case = complete_case(scores=[2, 2, 2, 2, 2, 2])
    PrincipleScore.objects.filter(case_study=case, principle=principles[0]).update(score=0)  # no signal
    assert stored_profiles_that_differ_from_scores() == {case.pk: ("222222", "022222")}
    assert CaseStudy.objects.filter(pk=case.pk).refresh_profiles() == {case.pk: "022222"}
    assert not stored_profiles_that_differ_from_scores()


# --- the database refuses a malformed profile --------------------------------------------------------------


@pytest.mark.parametrize("bad", ["22222", "2222222", "22222x", "4-----", ""])
def test_the_database_refuses_a_malformed_profile(principles, bad):
    case = CaseStudyFactory()
    # The check constraint refuses it; PostgreSQL refuses a seventh character already as too long for the column.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        CaseStudy.objects.filter(pk=case.pk).update(profile=bad)


# --- distances and rings -----------------------------------------------------------------------------------

ALL_PROFILES = ["".join(p) for p in itertools.product(profile.SYMBOLS, repeat=profile.PRINCIPLE_COUNT)]


def test_distance_counts_only_what_this_case_has_scored_and_an_unscored_other_as_the_whole_scale():
    assert profile.distance("323122", "222222") == 3
    assert profile.distance("3-----", "000000") == 3
    assert profile.distance("2-----", "-33333") == 3
    assert profile.distance("------", "012301") == 0


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=profile.SYMBOLS, min_size=6, max_size=6), st.integers(min_value=0, max_value=5))
def test_rings_hold_exactly_the_profiles_at_each_distance(mine, max_distance):
    expected = [sorted(p for p in ALL_PROFILES if profile.distance(mine, p) == d) for d in range(max_distance + 1)]
    assert profile.rings(mine, max_distance) == expected


# --- similar cases by the stored profile -------------------------------------------------------------------


def test_similar_cases_of_a_partly_scored_draft_compare_only_its_scored_principles():
    world = build_world()
    draft = CaseStudyFactory(slug="partial", region=world.regions["london"])
    draft.conditions.add(world.conditions["copd"])
    principles = list(Principle.objects.order_by("number"))
    for principle, score in zip(principles[:3], [3, 2, 3], strict=True):
        PrincipleScoreFactory(case_study=draft, principle=principle, score=score)
    case = CaseStudy.objects.with_everything().get(pk=draft.pk)
    similar = CaseStudy.objects.published().for_listing().similar_to(case)
    # Alpha is 3 2 3 on the first three (0 away), Echo 2 2 2 (2 away), Charlie 3 1 1 (3 away); all share COPD.
    assert [(c.slug, c.distance, c.shared) for c in similar] == [("alpha", 0, 1), ("echo", 2, 1), ("charlie", 3, 1)]
