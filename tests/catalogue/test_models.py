"""The database itself refuses bad data, even when forms are bypassed (runs on SQLite and PostgreSQL)."""

import pytest
from django.db import DataError, IntegrityError, transaction

from catalogue.models import CaseStudy, PrincipleScore, Status
from tests.builders import CaseStudyFactory, OutcomeFigureFactory, PrincipleScoreFactory, SourceFactory

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_database_refuses_a_score_of_four(principles):
    case = CaseStudyFactory()
    assert refused(lambda: PrincipleScore.objects.create(case_study=case, principle=principles[0], score=4,
                                                         rationale="Too high", assessed_by="x"))  # fmt: skip
    assert not PrincipleScore.objects.exists()


def test_database_accepts_every_score_on_the_scale(principles):
    case = CaseStudyFactory()
    for principle, score in zip(principles, [0, 1, 2, 3], strict=False):
        PrincipleScoreFactory(case_study=case, principle=principle, score=score)
    assert sorted(case.scores.values_list("score", flat=True)) == [0, 1, 2, 3]


def test_database_refuses_a_second_score_for_the_same_principle(principles):
    case = CaseStudyFactory()
    PrincipleScoreFactory(case_study=case, principle=principles[2], score=1)
    assert refused(lambda: PrincipleScoreFactory(case_study=case, principle=principles[2], score=3))
    assert case.scores.get().score == 1


def test_the_same_principle_may_be_scored_on_different_cases(principles):
    PrincipleScoreFactory(principle=principles[0])
    PrincipleScoreFactory(principle=principles[0])
    assert PrincipleScore.objects.count() == 2


def test_database_refuses_a_score_without_a_rationale(principles):
    assert refused(lambda: PrincipleScoreFactory(principle=principles[0], rationale=""))


def test_database_refuses_a_published_case_without_summary():
    assert refused(lambda: CaseStudyFactory(status=Status.PUBLISHED, summary=""))
    assert not CaseStudy.objects.exists()


def test_database_refuses_impossible_years_and_unknown_choices():
    assert refused(lambda: CaseStudyFactory(start_year=2010, end_year=2005))
    assert refused(lambda: CaseStudyFactory(still_running=True, end_year=2014))
    assert refused(lambda: CaseStudyFactory(status="archived"))
    assert refused(lambda: CaseStudyFactory(setting="space"))
    assert refused(lambda: CaseStudyFactory(slug=""))


def test_database_refuses_duplicate_case_slugs():
    CaseStudyFactory(slug="same")
    assert refused(lambda: CaseStudyFactory(slug="same"))


def test_database_refuses_unknown_evidence_types_and_empty_sources():
    assert refused(lambda: OutcomeFigureFactory(evidence_type="rumour"))
    assert refused(lambda: SourceFactory(title=""))


def test_deleting_a_scored_principle_is_refused(principles):
    from django.db.models import ProtectedError

    PrincipleScoreFactory(principle=principles[0])
    with pytest.raises(ProtectedError):
        principles[0].delete()


@pytest.mark.parametrize("bad", ["22222", "2222222", "22222x", "4-----", ""])
def test_the_database_refuses_a_malformed_profile(principles, bad):
    case = CaseStudyFactory()
    # The check constraint refuses it; PostgreSQL refuses a seventh character already as too long for the column.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        CaseStudy.objects.filter(pk=case.pk).update(profile=bad)
