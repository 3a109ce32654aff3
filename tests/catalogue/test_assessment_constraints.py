"""The database refuses a bad assessment as well as the admin's forms do: a score outside 0-3, a score without a
rationale, a principle scored twice (in one assessment, or agreed twice for one case), and an assessment on a rubric
version that does not exist (runs on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from catalogue.models import Assessment, AssessmentScore, PrincipleScore
from tests.builders import CaseStudyFactory, assess, rubric_version

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    """Whether the database refuses what `create` writes (foreign keys are checked at once, not at commit)."""
    try:
        with transaction.atomic():
            create()
            connection.check_constraints()
    except IntegrityError:
        return True
    return False


@pytest.fixture
def assessment(principles):
    return assess(CaseStudyFactory(), [2, 2, 2, 2, 2, None])


def score(assessment, principle, **values):
    return lambda: AssessmentScore.objects.create(assessment=assessment, principle=principle, **values)


@pytest.mark.parametrize("value", [4, 7])
def test_a_score_above_3_is_refused(assessment, principles, value):
    assert refused(score(assessment, principles[5], score=value, rationale="Too high."))
    assert not assessment.scores.filter(principle=principles[5]).exists()


def test_every_score_on_the_scale_is_accepted(assessment, principles):
    for value in (0, 3):
        assert not refused(score(assessment, principles[5], score=value, rationale="On the scale."))
        assessment.scores.filter(principle=principles[5]).delete()


def test_a_score_without_a_rationale_is_refused(assessment, principles):
    assert refused(score(assessment, principles[5], score=1, rationale=""))


def test_an_assessment_scores_each_principle_once(assessment, principles):
    assert refused(score(assessment, principles[0], score=3, rationale="Again."))
    assert assessment.scores.get(principle=principles[0]).score == 2


def test_a_case_has_one_agreed_score_per_principle(principles):
    case = CaseStudyFactory()
    PrincipleScore.objects.create(case_study=case, principle=principles[0], score=2, rationale="Agreed.")
    again = lambda: PrincipleScore.objects.create(  # noqa: E731
        case_study=case, principle=principles[0], score=3, rationale="Agreed again."
    )
    assert refused(again)
    assert case.scores.get().score == 2


def test_an_assessment_on_a_rubric_version_that_does_not_exist_is_refused(principles):
    case, version = CaseStudyFactory(), rubric_version()
    missing = version.pk + 1000
    made = lambda: Assessment.objects.create(case_study=case, label="Editor A", rubric_version_id=missing)  # noqa: E731
    assert refused(made)
    assert not Assessment.objects.exists()
    assert not refused(lambda: Assessment.objects.create(case_study=case, label="Editor A", rubric_version=version))


def test_a_rubric_version_that_assessments_use_cannot_be_deleted(assessment):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        assessment.rubric_version.delete()
