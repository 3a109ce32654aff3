"""Recording assessments in admin, and the four-eyes rule wherever admin publishes: an assessment with its six
scores (current rubric version by default, sources from its own case), the editor who saved it recorded as the
case's last editor, who then cannot publish it (action or form) while a second editor can; replies approved or
declined with who decided."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from catalogue.choices import AssessorRole, ReplyStatus
from catalogue.models import Assessment, CaseStudy, ScoreReply, Status
from tests.builders import SourceFactory, assess, assess_independently, complete_case, rubric_version
from tests.support.formdata import read_form

pytestmark = pytest.mark.django_db
SECOND_EDITOR = "Publishing needs a second editor: you were the last to change this case"
SAME_SAVE = "Publishing needs a second editor: whoever changes a case cannot publish it in the same save."


def add_form(client, case) -> dict:
    response = client.get(reverse("admin:catalogue_assessment_add") + f"?case_study={case.pk}")
    assert response.status_code == 200
    return read_form(response.content.decode(), form_id="assessment_form")


def filled(data: dict, scores, source=None, label="Editor B") -> dict:
    data.update({"label": [label], "role": [AssessorRole.EDITOR], "assessed_on": ["2026-07-01"]})
    for index, value in enumerate(scores):
        data[f"scores-{index}-score"] = ["" if value is None else str(value)]
        data[f"scores-{index}-rationale"] = ["" if value is None else f"Seen in the evaluation ({index})."]
    if source is not None:
        data["scores-0-source"] = [str(source.pk)]
    return data


def state(case) -> tuple:
    case = CaseStudy.objects.get(pk=case.pk)
    return case.status, case.published_by_id, case.last_edited_by_id, case.title, case.history.count()


def test_an_assessment_is_recorded_with_six_scores_on_the_current_rubric(editor_client, editor, principles):
    case = complete_case(status=Status.REVIEW)
    old, current = rubric_version(), None
    principles[0].level_1 = "A sharper level text."
    principles[0].save()
    from principles import rubric

    current = rubric.record_version("Sharper level 1.")
    data = add_form(editor_client, case)
    assert data["rubric_version"] == [str(current.pk)] != [str(old.pk)]
    assert data["case_study"] == [str(case.pk)]
    assert data["scores-TOTAL_FORMS"] == ["6"]
    source = case.sources.get()
    response = editor_client.post(reverse("admin:catalogue_assessment_add"), filled(data, [3, 2, 2, 1, 0, 2], source))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assessment = Assessment.objects.get(case_study=case)
    assert (assessment.label, assessment.rubric_version, assessment.recorded_by) == ("Editor B", current, editor)
    assert list(assessment.scores.values_list("score", flat=True)) == [3, 2, 2, 1, 0, 2]
    assert assessment.scores.get(principle=principles[0]).source == source
    assert CaseStudy.objects.get(pk=case.pk).last_edited_by == editor


def test_a_score_may_rest_only_on_the_cases_own_source(editor_client, principles):
    case = complete_case(status=Status.REVIEW)
    elsewhere = SourceFactory(title="Another case's report")
    page = editor_client.get(reverse("admin:catalogue_assessment_add") + f"?case_study={case.pk}").content.decode()
    assert case.sources.get().title in page and "Another case&#x27;s report" not in page
    data = filled(add_form(editor_client, case), [2] * 6, elsewhere)
    response = editor_client.post(reverse("admin:catalogue_assessment_add"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_assessment_scores_all_six_principles(editor_client, principles):
    case = complete_case(status=Status.REVIEW)
    data = filled(add_form(editor_client, case), [2, 2, 2, 2, 2, None])
    response = editor_client.post(reverse("admin:catalogue_assessment_add"), data)
    assert response.status_code == 200
    assert "An assessment scores all six principles, each with a rationale (missing: People as assets)." in (
        response.content.decode()
    )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("junk", ["abc", "-1", "99999999999999999999", "\uff11\uff12"])
def test_a_junk_case_in_the_address_is_no_error(editor_client, principles, junk):
    response = editor_client.get(reverse("admin:catalogue_assessment_add") + f"?case_study={junk}")
    assert response.status_code == 200


def test_the_editor_who_assessed_cannot_publish_with_the_action_and_nothing_changes(
    editor_client, second_editor_client, editor, principles
):
    case = complete_case(status=Status.REVIEW)
    assess(case, [2] * 6, label="Editor A")
    data = filled(add_form(editor_client, case), [2] * 6)
    assert editor_client.post(reverse("admin:catalogue_assessment_add"), data).status_code == 302
    before = state(case)
    action = {"action": "publish", "_selected_action": [case.pk]}
    page = editor_client.post(reverse("admin:catalogue_casestudy_changelist"), action, follow=True).content.decode()
    assert SECOND_EDITOR in page and "published." not in page
    assert state(case) == before
    page = second_editor_client.post(reverse("admin:catalogue_casestudy_changelist"), action, follow=True)
    assert "1 case study published." in page.content.decode()
    stored = CaseStudy.objects.get(pk=case.pk)
    assert (stored.status, stored.published_by, stored.last_edited_by) == (
        Status.PUBLISHED, second_editor_client.user, editor,
    )  # fmt: skip


def test_the_publish_action_refuses_a_case_without_two_independent_assessments(second_editor_client, principles):
    case = complete_case(status=Status.REVIEW)
    assess(case, [2] * 6, label="Editor A")
    before = state(case)
    action = {"action": "publish", "_selected_action": [case.pk]}
    page = second_editor_client.post(reverse("admin:catalogue_casestudy_changelist"), action, follow=True)
    assert "at least 2 independent editor assessments (it has 1)" in page.content.decode()
    assert state(case) == before


def change_form(client, case) -> dict:
    response = client.get(reverse("admin:catalogue_casestudy_change", args=[case.pk]))
    return read_form(response.content.decode(), form_id="casestudy_form")


def test_the_case_form_refuses_publishing_by_the_last_editor_and_changes_nothing(
    editor_client, second_editor_client, principles
):
    case = complete_case(status=Status.DRAFT)
    assess_independently(case)
    url = reverse("admin:catalogue_casestudy_change", args=[case.pk])
    data = change_form(editor_client, case)
    data["status"] = [Status.REVIEW]
    data["summary"] = ["A clearer summary."]
    assert editor_client.post(url, data).status_code == 302  # the editor's change, sent for review
    before = state(case)

    data = change_form(editor_client, case)
    data["status"] = [Status.PUBLISHED]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert SECOND_EDITOR in response.content.decode()
    assert state(case) == before

    data = change_form(second_editor_client, case)
    data["status"] = [Status.PUBLISHED]
    assert second_editor_client.post(url, data).status_code == 302
    stored = CaseStudy.objects.get(pk=case.pk)
    assert (stored.status, stored.published_by, stored.summary) == (
        Status.PUBLISHED, second_editor_client.user, "A clearer summary.",
    )  # fmt: skip


@pytest.mark.parametrize("change", [{"title": "Retitled"}, {"scores-0-rationale": "A new reason."}])
def test_no_one_publishes_their_own_change_in_the_same_save(second_editor_client, principles, change):
    case = complete_case(status=Status.REVIEW)
    assess_independently(case)
    before = state(case)
    data = change_form(second_editor_client, case)
    data.update({name: [value] for name, value in change.items()})
    data["status"] = [Status.PUBLISHED]
    response = second_editor_client.post(reverse("admin:catalogue_casestudy_change", args=[case.pk]), data)
    assert response.status_code == 200
    assert SAME_SAVE in response.content.decode()
    assert state(case) == before
    assert case.scores.filter(rationale="A new reason.").count() == 0


def test_the_form_refuses_publishing_without_two_independent_assessments(second_editor_client, principles):
    case = complete_case(status=Status.REVIEW)
    before = state(case)
    data = change_form(second_editor_client, case)
    data["status"] = [Status.PUBLISHED]
    response = second_editor_client.post(reverse("admin:catalogue_casestudy_change", args=[case.pk]), data)
    assert response.status_code == 200
    assert "at least 2 independent editor assessments (it has 0)" in response.content.decode()
    assert state(case) == before


def test_a_case_lists_its_assessments_and_its_agreed_scores_take_a_moderation_reason(editor_client, principles):
    case = complete_case(status=Status.REVIEW)
    a = assess(case, [3, 2, 2, 2, 2, 2], label="Editor A")
    assess(case, [1, 2, 2, 2, 2, 2], label="A member", role=AssessorRole.LIVED_EXPERIENCE)
    page = editor_client.get(reverse("admin:catalogue_casestudy_change", args=[case.pk])).content.decode()
    assert f'<a href="{reverse("admin:catalogue_assessment_change", args=[a.pk])}">Editor A</a>' in page
    assert "Lived-experience reviewer" in page and "Capabilities: 3" in page
    assert f'href="{reverse("admin:catalogue_assessment_add")}?case_study={case.pk}"' in page
    data = change_form(editor_client, case)
    data["scores-0-moderation_reason"] = ["Editor A read the 2019 evaluation; the member's view is noted."]
    response = editor_client.post(reverse("admin:catalogue_casestudy_change", args=[case.pk]), data)
    assert response.status_code == 302
    reason = case.scores.get(principle=principles[0]).moderation_reason
    assert reason == "Editor A read the 2019 evaluation; the member's view is noted."


def test_replies_are_approved_or_declined_with_who_decided_and_when(editor_client, editor, principles, time_machine):
    time_machine.move_to(datetime.datetime(2026, 7, 12, 23, 30, tzinfo=datetime.UTC), tick=False)
    case = complete_case()
    replies = [
        ScoreReply.objects.create(case_study=case, written_by="The time bank", text=f"Reply {n}.") for n in (1, 2)
    ]
    url = reverse("admin:catalogue_scorereply_changelist")
    page = editor_client.post(url, {"action": "approve", "_selected_action": [replies[0].pk]}, follow=True)
    assert "1 reply approved." in page.content.decode()
    editor_client.post(url, {"action": "decline", "_selected_action": [replies[1].pk]})
    assert [(r.status, r.moderated_by, r.moderated_on) for r in ScoreReply.objects.order_by("pk")] == [
        (ReplyStatus.APPROVED, editor, datetime.date(2026, 7, 13)),
        (ReplyStatus.DECLINED, editor, datetime.date(2026, 7, 13)),
    ]
