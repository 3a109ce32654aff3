"""Editing in Django admin: who may, how scores are edited, the publishing rules, and change history."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from catalogue.models import CaseStudy, PrincipleScore, Status
from tests.builders import CaseStudyFactory, ConditionFactory, SourceFactory, assess_independently, complete_case
from tests.support.formdata import read_form

pytestmark = pytest.mark.django_db


def change_url(case):
    return reverse("admin:catalogue_casestudy_change", args=[case.pk])


def form_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return read_form(response.content.decode(), form_id="casestudy_form")


def test_anonymous_visitors_are_sent_to_log_in(client):
    case = CaseStudyFactory()
    response = client.get(change_url(case))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_people_who_are_not_staff_cannot_use_admin(client):
    user = get_user_model().objects.create_user("member", password="pw")
    client.force_login(user)
    response = client.get(reverse("admin:catalogue_casestudy_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_editor_sees_all_six_principles_offered_for_a_new_case(editor_client, principles):
    response = editor_client.get(reverse("admin:catalogue_casestudy_add"))
    assert response.status_code == 200
    data = read_form(response.content.decode(), form_id="casestudy_form")
    assert data["scores-TOTAL_FORMS"] == ["6"]
    page = response.content.decode()
    for principle in principles:
        assert escape(str(principle)) in page


def test_editor_can_edit_a_case_and_its_scores(editor_client, principles):
    case = complete_case(scores=[1, 1, 1, 1, 1, 1], status=Status.DRAFT)
    data = form_of(editor_client, change_url(case))
    data["title"] = ["A better title"]
    data["scores-0-score"] = ["3"]
    data["scores-0-rationale"] = ["Members run every part of it."]
    response = editor_client.post(change_url(case), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.title == "A better title"
    score = case.scores.get(principle=principles[0])
    assert (score.score, score.rationale) == (3, "Members run every part of it.")
    assert score.assessed_by == "editor"


def test_editor_can_add_the_missing_scores(editor_client, principles):
    case = CaseStudyFactory()
    data = form_of(editor_client, change_url(case))
    assert data["scores-TOTAL_FORMS"] == ["6"]
    data["scores-4-score"] = ["2"]
    data["scores-4-rationale"] = ["The council enables rather than delivers."]
    response = editor_client.post(change_url(case), data)
    assert response.status_code == 302
    assert [(s.principle.number, s.score) for s in case.scores.all()] == [(5, 2)]


def test_publishing_an_incomplete_case_is_refused_with_the_reasons(editor_client, principles):
    case = CaseStudyFactory(summary="")
    data = form_of(editor_client, change_url(case))
    data["status"] = [Status.PUBLISHED]
    data["scores-0-score"] = ["2"]
    data["scores-0-rationale"] = [""]
    response = editor_client.post(change_url(case), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This case cannot be published yet" in page
    for need in ["a summary", "at least one condition", "at least one source", "missing: Mutuality"]:
        assert need in page
    case.refresh_from_db()
    assert case.status == Status.DRAFT


def test_a_complete_case_can_be_published_from_its_page_and_is_stamped_with_the_moment(
    editor_client, principles, time_machine
):
    case = complete_case(status=Status.DRAFT)
    assess_independently(case)
    moment = datetime.datetime(2026, 7, 12, 9, 30, tzinfo=datetime.UTC)
    time_machine.move_to(moment, tick=False)
    data = form_of(editor_client, change_url(case))
    data["status"] = [Status.PUBLISHED]
    response = editor_client.post(change_url(case), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED
    assert case.first_published_at == moment


def test_publish_action_refuses_incomplete_cases_and_publishes_complete_ones(editor_client, principles):
    ready = complete_case(status=Status.DRAFT)
    assess_independently(ready)
    incomplete = CaseStudyFactory()
    incomplete.conditions.add(ConditionFactory())
    SourceFactory(case_study=incomplete)
    response = editor_client.post(
        reverse("admin:catalogue_casestudy_changelist"),
        {"action": "publish", "_selected_action": [ready.pk, incomplete.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 case study published." in page
    assert "a score for every principle" in page
    assert CaseStudy.objects.get(pk=ready.pk).status == Status.PUBLISHED
    assert CaseStudy.objects.get(pk=incomplete.pk).status == Status.DRAFT


def test_unpublish_and_mark_reviewed_today_actions(editor_client, principles, time_machine):
    case = complete_case(last_reviewed=None)
    time_machine.move_to(datetime.datetime(2026, 7, 12, 23, 30, tzinfo=datetime.UTC), tick=False)  # 13 July in London
    url = reverse("admin:catalogue_casestudy_changelist")
    editor_client.post(url, {"action": "mark_reviewed_today", "_selected_action": [case.pk]})
    editor_client.post(url, {"action": "unpublish", "_selected_action": [case.pk]})
    case.refresh_from_db()
    assert case.last_reviewed == datetime.date(2026, 7, 13)
    assert case.status == Status.DRAFT


def test_case_list_shows_scores_given_out_of_six(editor_client, principles):
    complete_case(title="Fully scored")
    response = editor_client.get(reverse("admin:catalogue_casestudy_changelist"))
    assert "6 of 6" in response.content.decode()


def test_history_records_who_changed_a_case_and_a_score(editor_client, principles):
    case = complete_case(scores=[1, 1, 1, 1, 1, 1], status=Status.DRAFT)
    data = form_of(editor_client, change_url(case))
    data["summary"] = ["A new summary of the case."]
    data["scores-2-score"] = ["3"]
    data["scores-2-rationale"] = ["Peer groups are the service."]
    assert editor_client.post(change_url(case), data).status_code == 302

    latest = case.history.latest()
    assert latest.history_user.username == "editor"
    assert "summary" in [c.field for c in latest.diff_against(latest.prev_record).changes]
    score_change = PrincipleScore.history.filter(case_study_id=case.pk, history_type="~").latest()
    assert score_change.history_user.username == "editor"

    page = editor_client.get(reverse("admin:catalogue_casestudy_history", args=[case.pk])).content.decode()
    assert "Agreed score for Peer networks" in page
    assert "<ins>Peer groups are</ins> the <del>service works.</del><ins>service.</ins>" in page


def test_editors_cannot_manage_users_or_delete_principles(editor_client, principles):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    delete = reverse("admin:principles_principle_delete", args=[principles[0].pk])
    assert editor_client.get(delete).status_code == 403
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert editor_client.get(reverse("admin:principles_principle_change", args=[principles[0].pk])).status_code == 200
