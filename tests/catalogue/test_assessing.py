"""A case's assessments compared (catalogue/assessing.py), and what the published profile follows: the agreed
scores, never an independent rating."""

import pytest

from catalogue import assessing
from catalogue.models import AssessmentScore, AssessorRole, CaseStudy, PrincipleScore
from tests.builders import assess, complete_case

pytestmark = pytest.mark.django_db


def comparison(case):
    return assessing.compare(
        CaseStudy.objects.prefetch_related(assessing.assessments_prefetch(), "scores").get(pk=case.pk)
    )


def test_the_comparison_finds_ratings_two_apart_and_the_differences_nobody_has_moderated():
    case = complete_case(scores=(2, 2, 2, 2, 2, 2))
    assess(case, (3, 2, 2, 1, 2, 2), label="Editor A")
    assess(case, (1, 2, 2, 2, 2, 2), label="Editor B")
    assess(case, (0, 0, 0, 0, 0, 0), label="Reviewer", role=AssessorRole.LIVED_EXPERIENCE)
    result = comparison(case)
    assert result.independent_count == 2  # the lived-experience review is beside them, not counted
    assert [p.principle.number for p in result.far_apart] == [1]
    assert [p.principle.number for p in result.awaiting_moderation] == [1, 4]
    assert (result.exact_count, result.within_one_count) == (4, 5)
    assert "2 independent editor assessments" in result.summary() and "same score on 4 of 6" in result.summary()

    PrincipleScore.objects.filter(case_study=case, principle__number=4).update(moderation_reason="Level 2 fits.")
    assert [p.principle.number for p in comparison(case).awaiting_moderation] == [1]


def test_one_or_no_independent_assessment_is_said_plainly():
    case = complete_case()
    assert "do not yet rest on an independent assessment" in comparison(case).summary()
    assess(case, (2, 2, 2, 2, 2, 2))
    assert "one independent editor assessment" in comparison(case).summary()
    assert not comparison(case).compared  # nothing to compare with one rater


def test_the_stored_profile_follows_the_agreed_scores_and_never_an_independent_rating():
    case = complete_case(scores=(2, 2, 2, 2, 2, 2))
    assessment = assess(case, (3, 3, 3, 3, 3, 3))
    AssessmentScore.objects.filter(assessment=assessment).update(score=0)
    for rating in assessment.scores.all():
        rating.score = 1
        rating.save()
    case.refresh_from_db()
    assert case.profile == "222222"
    agreed = case.scores.get(principle__number=2)
    agreed.score, agreed.moderation_reason = 0, "Nothing shows people giving back."
    agreed.save()
    case.refresh_from_db()
    assert case.profile == "202222"
