"""The moderation queue in the case list: a disagreement of two points shows (filter and flags), so do cases with
fewer than two independent assessments and cases waiting for moderation; the history names who changed which
assessment."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from catalogue.choices import AssessorRole
from catalogue.models import PrincipleScore
from tests.builders import assess, complete_case, rubric_version
from tests.support.formdata import read_form

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:catalogue_casestudy_changelist"


@pytest.fixture
def cases(principles):
    agreed = complete_case("Agreed case")
    assess(agreed, [2] * 6, label="Editor A")
    assess(agreed, [2] * 6, label="Editor B")
    apart = complete_case("Far apart case")
    assess(apart, [2, 2, 3, 2, 2, 2], label="Editor A")
    assess(apart, [2, 2, 1, 2, 2, 2], label="Editor B")
    moderated = complete_case("Moderated case")
    assess(moderated, [2, 2, 2, 2, 2, 2], label="Editor A")
    assess(moderated, [2, 2, 2, 2, 2, 1], label="Editor B")
    PrincipleScore.objects.filter(case_study=moderated, principle=principles[5]).update(
        moderation_reason="The members' survey settles it."
    )
    lonely = complete_case("Once assessed case")
    assess(lonely, [2] * 6, label="Editor A")
    assess(lonely, [0] * 6, label="A member", role=AssessorRole.LIVED_EXPERIENCE)
    return {"agreed": agreed, "apart": apart, "moderated": moderated, "lonely": lonely}


def listed(client, query: str = "") -> str:
    response = client.get(reverse(CHANGELIST) + query)
    assert response.status_code == 200
    return response.content.decode()


def titles(page: str) -> set[str]:
    return set(re.findall(r'<th class="field-title"><a href="[^"]+">([^<]+)</a>', page))


def test_a_disagreement_of_two_shows_in_the_queue(editor_client, cases):
    assert titles(listed(editor_client, "?moderation=far-apart")) == {"Far apart case"}


def test_cases_with_fewer_than_two_independent_assessments_show(editor_client, cases):
    assert titles(listed(editor_client, "?moderation=short")) == {"Once assessed case"}


def test_cases_waiting_for_moderation_show(editor_client, cases):
    assert titles(listed(editor_client, "?moderation=waiting")) == {"Far apart case"}


def test_the_case_list_flags_each_case(editor_client, cases):
    page = listed(editor_client)
    assert titles(page) == {"Agreed case", "Far apart case", "Moderated case", "Once assessed case"}
    assert "Independent ratings 2 or more apart" in page and "Waiting for moderation" in page
    rows = {title: row for row in page.split("<tr")[1:] for title in titles("<tr" + row)}
    assert "1 of 2" in rows["Once assessed case"] and "2 of 2" in rows["Agreed case"]
    assert rows["Far apart case"].count('alt="True"') == 2  # far apart, and waiting for moderation
    assert rows["Moderated case"].count('alt="True"') == 0
    assert listed(editor_client, "?o=6")  # sorted by a flag


@pytest.mark.parametrize("junk", ["?moderation=nonsense", "?moderation=", "?moderation=far-apart&moderation=short"])
def test_a_junk_queue_choice_is_no_error(editor_client, cases, junk):
    editor_client.get(reverse(CHANGELIST) + junk)  # the admin's own answer (the list, or its error page): never 500


def test_the_history_names_who_changed_which_assessment_and_its_scores(editor_client, second_editor_client, principles):
    case = complete_case("Reassessed case")
    rubric_version()
    add = reverse("admin:catalogue_assessment_add")
    data = read_form(editor_client.get(add + f"?case_study={case.pk}").content.decode(), form_id="assessment_form")
    data.update({"label": ["Editor B"], "assessed_on": ["2026-07-01"]})
    for index, score in enumerate([2, 2, 1, 2, 2, 2]):
        data[f"scores-{index}-score"] = [str(score)]
        data[f"scores-{index}-rationale"] = [f"Seen in the report ({index})."]
    assert editor_client.post(add, data).status_code == 302
    assessment = case.assessments.get()

    url = reverse("admin:catalogue_assessment_change", args=[assessment.pk])
    data = read_form(second_editor_client.get(url).content.decode(), form_id="assessment_form")
    data["scores-2-score"] = ["2"]
    data["scores-2-rationale"] = ["Peers meet weekly, on reflection."]
    data["confidence"] = ["medium"]
    assert second_editor_client.post(url, data).status_code == 302

    page = editor_client.get(reverse("admin:catalogue_casestudy_history", args=[case.pk])).content.decode()
    rows = [row for row in page[page.index('id="case-timeline"') :].split("<tr>")[1:] if "Assessment Editor B" in row]
    changed_score = [row for row in rows if "score for Peer networks" in row and "Changed" in row]
    assert len(changed_score) == 1
    assert "<td>second-editor</td>" in changed_score[0] and "on reflection" in changed_score[0]
    changed = [row for row in rows if "<td>Assessment Editor B</td>" in row and "Changed" in row]
    assert len(changed) == 1 and "<td>second-editor</td>" in changed[0] and "<ins>medium</ins>" in changed[0]
    created = [row for row in rows if "Created" in row]
    assert len(created) == 7 and all("<td>editor</td>" in row for row in created)  # the assessment, six scores
