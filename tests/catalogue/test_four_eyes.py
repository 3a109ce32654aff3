"""Publishing needs two independent editor assessments and a second editor (services.publish): the editor who last
changed a case, its scores or its assessments cannot publish it; a refusal says why and changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from catalogue import services
from catalogue.choices import AssessorRole
from catalogue.models import CaseStudy, Status
from tests.builders import assess, assess_independently, complete_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(db):
    users = get_user_model().objects
    return users.create_user("first", is_staff=True), users.create_user("second", is_staff=True)


def stored(case: CaseStudy) -> tuple:
    case = CaseStudy.objects.get(pk=case.pk)
    return case.status, case.first_published_at, case.published_by_id, case.last_edited_by_id, case.history.count()


def test_the_last_editor_cannot_publish_and_nothing_changes(principles, editors):
    first, _ = editors
    case = complete_case(status=Status.REVIEW)
    assess_independently(case)
    services.record_edit(case, first)
    before = stored(case)
    with pytest.raises(services.CaseRefused) as refused:
        services.publish(case, by=first)
    assert str(refused.value) == (
        "Publishing needs a second editor: you were the last to change this case, its scores or its assessments, "
        "so another editor must check and publish it."
    )
    assert stored(case) == before
    assert case.status == Status.REVIEW


def test_a_second_editor_publishes_and_is_recorded(principles, editors):
    first, second = editors
    case = complete_case(status=Status.REVIEW)
    assess_independently(case)
    services.record_edit(case, first)
    services.publish(case, by=second)
    status, first_published_at, published_by, last_edited_by, _ = stored(case)
    assert (status, published_by, last_edited_by) == (Status.PUBLISHED, second.pk, first.pk)
    assert first_published_at is not None


def test_publishing_without_two_independent_assessments_is_refused_and_nothing_changes(principles, editors):
    _, second = editors
    case = complete_case(status=Status.DRAFT)
    assess(case, [2] * 6, label="Editor A")
    assess(case, [3] * 6, label="A reviewer", role=AssessorRole.LIVED_EXPERIENCE)  # shown beside, never counted
    before = stored(case)
    with pytest.raises(services.CaseRefused) as refused:
        services.publish(case, by=second)
    assert str(refused.value) == (
        "This case cannot be published yet. It needs: at least 2 independent editor assessments (it has 1)."
    )
    assert stored(case) == before


def test_every_reason_is_given_at_once(principles, editors):
    first, _ = editors
    case = complete_case(status=Status.DRAFT)
    services.record_edit(case, first)
    with pytest.raises(services.CaseRefused) as refused:
        services.publish(case, by=first)
    assert [message for _, message in refused.value.problems] == [
        "This case cannot be published yet. It needs: at least 2 independent editor assessments (it has 0).",
        "Publishing needs a second editor: you were the last to change this case, its scores or its assessments, "
        "so another editor must check and publish it.",
    ]


def test_without_a_signed_in_editor_only_the_case_itself_is_checked(principles, editors):
    """The content command and `manage.py import_case_studies` publish as no one: four eyes cannot apply, the
    assessments rule does."""
    first, _ = editors
    case = complete_case(status=Status.DRAFT)
    services.record_edit(case, first)
    with pytest.raises(services.CaseRefused, match="independent editor assessments"):
        services.publish(case)
    assess_independently(case)
    services.publish(case)
    assert stored(case)[:3][::2] == (Status.PUBLISHED, None)


def test_an_editor_who_never_changed_the_case_may_publish_it(principles, editors):
    first, second = editors
    case = complete_case(status=Status.REVIEW)
    assess_independently(case)
    services.record_edit(case, second)
    services.publish(case, by=first)
    assert CaseStudy.objects.get(pk=case.pk).status == Status.PUBLISHED


def test_a_published_case_is_checked_again_but_not_republished(principles, editors):
    first, _ = editors
    case = complete_case()
    assess_independently(case)
    services.record_edit(case, first)
    services.publish(case, by=first)  # already published: four eyes is about publishing, so nothing to refuse
    assert stored(case)[0] == Status.PUBLISHED
