"""Changing a principle's level text in admin makes a new rubric version with the editor's summary, and the
assessments already made keep the version they used; versions are shown read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from principles.models import Principle, RubricVersion
from tests.builders import CaseStudyFactory, assess, rubric_version
from tests.support.formdata import read_form

pytestmark = pytest.mark.django_db


def principle_form(client, principle) -> tuple[str, dict]:
    url = reverse("admin:principles_principle_change", args=[principle.pk])
    return url, read_form(client.get(url).content.decode(), form_id="principle_form")


def test_a_changed_level_text_needs_a_summary_and_makes_a_new_version(editor_client, principles):
    first = rubric_version()
    old = assess(CaseStudyFactory(), [2] * 6)
    url, data = principle_form(editor_client, principles[2])
    data["level_1"] = ["Peers meet now and then, for example a monthly group session run by staff."]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Say what changed in the level texts and why" in response.content.decode()
    assert RubricVersion.objects.count() == 1
    assert Principle.objects.get(pk=principles[2].pk).level_1 == principles[2].level_1

    summary = "Level 1 of peer networks names staff-run group sessions as its example."
    data["version_summary"] = [summary]
    assert editor_client.post(url, data).status_code == 302
    new = RubricVersion.objects.current()
    assert (new.number, new.summary) == (first.number + 1, summary)
    assert new.levels["peer-support-networks"][1].startswith("Peers meet now and then")
    old.refresh_from_db()
    assert old.rubric_version == first  # the old assessment keeps the wording it used
    assert first.levels["peer-support-networks"][1] == principles[2].level_1
    add = editor_client.get(reverse("admin:catalogue_assessment_add")).content.decode()
    assert f'<option value="{new.pk}" selected>' in add  # new assessments start on the new version


def test_saving_a_principle_without_changing_a_level_makes_no_version(editor_client, principles):
    rubric_version()
    url, data = principle_form(editor_client, principles[0])
    data["description"] = ["A clearer description."]
    assert editor_client.post(url, data).status_code == 302
    assert RubricVersion.objects.count() == 1


def test_versions_are_listed_and_shown_but_never_changed_or_deleted(editor_client, principles):
    version = rubric_version()
    assess(CaseStudyFactory(), [2] * 6)
    listed = editor_client.get(reverse("admin:principles_rubricversion_changelist"))
    assert listed.status_code == 200 and "The level texts as first written." in listed.content.decode()
    change = reverse("admin:principles_rubricversion_change", args=[version.pk])
    shown = editor_client.get(change)
    assert shown.status_code == 200
    assert principles[0].level_3 in shown.content.decode()
    assert 'name="summary"' not in shown.content.decode()
    editor_client.post(change, {"summary": "Rewritten."})
    assert RubricVersion.objects.get().summary == "The level texts as first written."
    assert editor_client.post(reverse("admin:principles_rubricversion_delete", args=[version.pk])).status_code == 403
    assert editor_client.get(reverse("admin:principles_rubricversion_add")).status_code == 403
    assert RubricVersion.objects.count() == 1
