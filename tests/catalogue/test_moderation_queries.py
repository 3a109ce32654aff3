"""The moderation queue's questions (CaseStudyQuerySet: ratings_far_apart, short_of_assessments,
awaiting_moderation, with_assessment_flags) ask the database what assessing.compare works out case by case, in one
query each."""

from __future__ import annotations

import pytest

from catalogue import assessing, publishing
from catalogue.choices import AssessorRole
from catalogue.models import CaseStudy, PrincipleScore
from tests.builders import assess, complete_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(principles) -> dict[str, CaseStudy]:
    """Cases whose independent editor ratings agree, differ by one or by two (moderated or not), or are too few."""

    def case(slug, *editor_scores, others=()):
        made = complete_case(slug=slug, title=slug.title())
        for letter, scores in zip("ABC", editor_scores, strict=False):
            assess(made, scores, label=f"Editor {letter}")
        for number, scores in enumerate(others):
            assess(made, scores, label=f"Reviewer {number}", role=AssessorRole.LIVED_EXPERIENCE)
        return made

    cases = {
        "agree": case("agree", [2] * 6, [2] * 6),
        "far": case("far", [3, 2, 2, 2, 2, 2], [1, 2, 2, 2, 2, 2]),
        "one-apart": case("one-apart", [2, 2, 2, 2, 2, 2], [2, 3, 2, 2, 2, 2]),
        "moderated": case("moderated", [2, 2, 2, 2, 2, 0], [2, 2, 2, 2, 2, 1]),
        "far-moderated": case("far-moderated", [0, 2, 2, 2, 2, 2], [2, 2, 2, 2, 2, 2]),
        "three": case("three", [1, 2, 2, 2, 2, 2], [2, 2, 2, 2, 2, 2], [3, 2, 2, 2, 2, 2]),
        "unscored": case("unscored", [None, 2, 2, 2, 2, 2], [3, 2, 2, 2, 2, 2]),
        "single": case("single", [2] * 6, others=[[0] * 6]),
        "none": case("none", others=[[3] * 6, [0] * 6]),
    }
    explain = PrincipleScore.objects.filter(principle__number=6, case_study=cases["moderated"])
    explain.update(moderation_reason="The survey shows members lead some of the work.")
    explain = PrincipleScore.objects.filter(principle__number=1, case_study=cases["far-moderated"])
    explain.update(moderation_reason="  ")  # blank is no reason
    return cases


def slugs(queryset) -> set[str]:
    return set(queryset.values_list("slug", flat=True))


def compared(predicate) -> set[str]:
    return {case.slug for case in CaseStudy.objects.prefetch_related("scores") if predicate(assessing.compare(case))}


def test_ratings_two_or_more_apart(queue, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = slugs(CaseStudy.objects.ratings_far_apart(assessing.FAR_APART))
    assert found == {"far", "far-moderated", "three"}
    assert found == compared(lambda c: c.far_apart)


def test_fewer_than_two_independent_assessments(queue, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = slugs(CaseStudy.objects.short_of_assessments(publishing.INDEPENDENT_NEEDED))
    assert found == {"single", "none"}
    assert found == compared(lambda c: c.independent_count < publishing.INDEPENDENT_NEEDED)


def test_waiting_for_moderation(queue, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = slugs(CaseStudy.objects.awaiting_moderation())
    assert found == {"far", "one-apart", "far-moderated", "three"}
    assert found == compared(lambda c: bool(c.awaiting_moderation))


def test_the_flags_annotate_every_case_in_one_query(queue, django_assert_num_queries):
    with django_assert_num_queries(1):
        flagged = {
            case.slug: (case.independent_count, case.ratings_far_apart, case.awaits_moderation)
            for case in CaseStudy.objects.with_assessment_flags(far_apart=assessing.FAR_APART)
        }
    expected = {
        case.slug: (c.independent_count, bool(c.far_apart), bool(c.awaiting_moderation))
        for case in CaseStudy.objects.prefetch_related("scores")
        for c in [assessing.compare(case)]
    }
    assert flagged == expected
    assert flagged["three"] == (3, True, True) and flagged["none"] == (0, False, False)
