"""The signals (catalogue/signals.py) keep each case's stored principle profile the same as its scores: when a
score is saved, changed or deleted, from admin too, and when a principle is renumbered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import CaseStudy, PrincipleScore, Status
from principles.models import Principle
from tests.builders import CaseStudyFactory, PrincipleScoreFactory, complete_case, make_principles
from tests.support.formdata import read_form
from tests.support.profile_checks import stored_profiles_that_differ_from_scores

pytestmark = pytest.mark.django_db


def stored(case: CaseStudy) -> str:
    return CaseStudy.objects.values_list("profile", flat=True).get(pk=case.pk)


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
