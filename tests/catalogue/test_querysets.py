"""The case queryset (catalogue/querysets.py): similar cases by the stored profile (a shared condition or approach,
closest profile first, then most shared, at most three, never the case itself), and refresh_profiles.

Expected results are worked out by hand from the table in builders.world().
"""

from __future__ import annotations

import pytest

from catalogue.models import CaseStudy, PrincipleScore
from principles.models import Principle
from tests.builders import CaseStudyFactory, PrincipleScoreFactory, complete_case
from tests.support.profile_checks import stored_profiles_that_differ_from_scores

pytestmark = pytest.mark.django_db


# --- similar cases -------------------------------------------------------------------------------------------


def similar_slugs(case_slug: str) -> list[str]:
    case = CaseStudy.objects.with_everything().get(slug=case_slug)
    return [c.slug for c in CaseStudy.objects.published().similar_to(case)]


def test_similar_cases_share_a_term_and_have_a_close_profile(world):
    # Alpha (copd, peer support; 3 2 3 1 2 2). Echo shares both terms and is 3 away; Charlie shares both but
    # is 5 away; Bravo and Delta share nothing; Foxtrot is a draft.
    assert similar_slugs("alpha") == ["echo"]


def test_a_close_profile_without_a_shared_condition_or_approach_is_not_similar(world):
    complete_case(
        "Golf Twin",
        region=world.regions["finland"],
        conditions=[world.conditions["dementia"]],
        approaches=[world.approaches["timebanks"]],
        scores=[3, 2, 3, 1, 2, 2],
    )
    assert "golf-twin" not in similar_slugs("alpha")


def test_similar_cases_come_closest_profile_first_then_most_shared(world):
    c, a = world.conditions, world.approaches
    complete_case("Hotel", region=world.regions["london"], conditions=[c["copd"]], approaches=[a["timebanks"]],
              scores=[3, 2, 3, 2, 2, 2])  # fmt: skip
    complete_case("India", region=world.regions["london"], conditions=[c["copd"]],
              approaches=[a["peer-support-groups"]], scores=[3, 2, 3, 2, 2, 2])  # fmt: skip
    # Hotel and India are 1 away (India shares two terms, Hotel one); Echo is 3 away.
    assert similar_slugs("alpha") == ["india", "hotel", "echo"]


def test_at_most_three_similar_cases_and_never_the_case_itself(world):
    for n in range(5):
        complete_case(f"Twin {n}", region=world.regions["london"], conditions=[world.conditions["copd"]],
                  approaches=[], scores=[3, 2, 3, 1, 2, 2])  # fmt: skip
    found = similar_slugs("alpha")
    assert found == ["twin-0", "twin-1", "twin-2"]


def test_similar_cases_of_a_partly_scored_draft_compare_only_its_scored_principles(world):
    draft = CaseStudyFactory(slug="partial", region=world.regions["london"])
    draft.conditions.add(world.conditions["copd"])
    principles = list(Principle.objects.order_by("number"))
    for principle, score in zip(principles[:3], [3, 2, 3], strict=True):
        PrincipleScoreFactory(case_study=draft, principle=principle, score=score)
    case = CaseStudy.objects.with_everything().get(pk=draft.pk)
    similar = CaseStudy.objects.published().for_listing().similar_to(case)
    # Alpha is 3 2 3 on the first three (0 away), Echo 2 2 2 (2 away), Charlie 3 1 1 (3 away); all share COPD.
    assert [(c.slug, c.distance, c.shared) for c in similar] == [("alpha", 0, 1), ("echo", 2, 1), ("charlie", 3, 1)]


# --- profiles written behind the ORM's back ---------------------------------------------------------------------


def test_refresh_mends_a_profile_written_behind_the_orms_back(principles):
    case = complete_case(scores=[2, 2, 2, 2, 2, 2])
    PrincipleScore.objects.filter(case_study=case, principle=principles[0]).update(score=0)  # no signal
    assert stored_profiles_that_differ_from_scores() == {case.pk: ("222222", "022222")}
    assert CaseStudy.objects.filter(pk=case.pk).refresh_profiles() == {case.pk: "022222"}
    assert not stored_profiles_that_differ_from_scores()
