"""A case's PDF summary says how many independent assessments its agreed scores rest on and how they agree (the
case page's sentence, assessing.compare(case).summary()); its fingerprint changes when any assessment does, so
the next request renders the new line."""

from __future__ import annotations

import pytest
from django.conf import settings

from catalogue import assessing, caching
from catalogue.models import AssessmentScore, AssessorRole, CaseStudy
from catalogue.pdf import fingerprints
from principles.models import Principle
from tests.builders import assess, time_bank_case
from tests.pdf import summary_url
from tests.support.pdfread import read_pdf

pytestmark = pytest.mark.django_db


def summary_text(client, case) -> str:
    response = client.get(summary_url(case))
    assert response.status_code == 200
    return read_pdf(response.content).text


def loaded(case) -> CaseStudy:
    return CaseStudy.objects.with_everything().prefetch_related(assessing.assessments_prefetch()).get(pk=case.pk)


def test_the_summary_says_what_the_agreed_scores_rest_on(client, principles):
    case = time_bank_case()
    assess(case, [3, 2, 2, 1, 2, 2], label="Editor A")
    assess(case, [1, 2, 2, 2, 2, 2], label="Editor B")
    assess(case, [0, 0, 0, 0, 0, 0], label="Reviewer C", role=AssessorRole.LIVED_EXPERIENCE)
    text = summary_text(client, case)
    sentence = assessing.compare(loaded(case)).summary()
    assert "rest on 2 independent editor assessments" in sentence  # the lived-experience review is not counted
    assert "same score on 4 of 6 principles and were within one point on 5" in sentence
    assert sentence in text
    assert f"How cases are assessed: {settings.SITE_URL}/assessments/" in text
    # Below the agreed scores, as the case page has it.
    assert text.index("Principle profile") < text.index(sentence)


def test_a_case_without_assessments_says_so(client, principles):
    case = time_bank_case()
    assert "These scores do not yet rest on an independent assessment." in summary_text(client, case)


def test_the_fingerprint_changes_when_an_assessment_score_changes(principles):
    case = time_bank_case()
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor A")
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor B")
    principle_list = list(Principle.objects.all())
    before = fingerprints.fingerprint("case", [loaded(case)], principle_list)
    assert fingerprints.fingerprint("case", [loaded(case)], principle_list) == before
    AssessmentScore.objects.filter(assessment__label="Editor B", principle__number=1).update(score=3)
    assert fingerprints.fingerprint("case", [loaded(case)], principle_list) != before


def test_an_edit_to_an_assessment_shows_in_the_next_pdf(client, principles, renders):
    case = time_bank_case()
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor A")
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor B")
    assert "same score on 6 of 6 principles" in summary_text(client, case)
    score = AssessmentScore.objects.get(assessment__label="Editor B", principle__number=1)
    score.score = 0
    score.save()  # its signal replaces the catalogue's version, so the public fast path misses
    text = summary_text(client, case)
    assert len(renders) == 2
    assert "same score on 5 of 6 principles and were within one point on 5" in text


def test_an_update_without_a_signal_still_gives_a_new_pdf(client, principles, renders):
    """An update() sends no signal: the fingerprint, not the version, tells the PDF apart (bump() stands in for
    the version change a real edit makes, as in test_fingerprints.py)."""
    case = time_bank_case()
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor A")
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor B")
    summary_text(client, case)
    AssessmentScore.objects.filter(assessment__label="Editor B", principle__number=2).update(score=1)
    caching.bump()
    assert "same score on 5 of 6 principles" in summary_text(client, case)
    assert len(renders) == 2
