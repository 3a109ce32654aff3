"""The case's history tells the truth: an unchanged field never shows as changed, text changes show the words
that changed (escaped), the editor's reason is kept and shown, and one timeline covers the case and its rows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from catalogue.models import CaseStudy, OutcomeFigure, PrincipleScore, Source, Status
from tests.builders import ConditionFactory, OutcomeFigureFactory, RegionFactory, complete_case
from tests.support.formdata import read_form

pytestmark = pytest.mark.django_db

LONG_TEXT = " ".join(f"word{n}" for n in range(120))  # about 800 characters, one paragraph


def change_url(case):
    return reverse("admin:catalogue_casestudy_change", args=[case.pk])


def history_url(case):
    return reverse("admin:catalogue_casestudy_history", args=[case.pk])


def as_a_browser_posts(client, case) -> dict:
    """The change form's data as a browser submits it unchanged: every line break in a textarea as "\\r\\n"."""
    response = client.get(change_url(case))
    assert response.status_code == 200
    data = read_form(response.content.decode(), form_id="casestudy_form")
    return {
        name: [value.replace("\r\n", "\n").replace("\n", "\r\n") for value in values] for name, values in data.items()
    }


def timeline(client, case) -> str:
    response = client.get(history_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    return re.search(r'<div class="module" id="case-timeline">.*?</div>', page, re.S).group(0)


def multi_line_case():
    case = complete_case(
        status=Status.DRAFT,
        summary="First line of the summary.\nSecond line.",
        context="The place.\n\nA second paragraph.",
        partners="Council\nA charity",
    )
    PrincipleScore.objects.filter(case_study=case).update(rationale="One line.\nAnother line.")
    OutcomeFigureFactory(case_study=case, statement="Admissions fell.\nBy 14%.")
    return case


def test_saving_a_case_unchanged_as_a_browser_posts_it_changes_no_field(editor_client, principles):
    case = multi_line_case()
    scores_before = list(PrincipleScore.objects.filter(case_study=case).values_list("assessed_by", "assessed_on"))
    row_records = PrincipleScore.history.count() + OutcomeFigure.history.count() + Source.history.count()

    response = editor_client.post(change_url(case), as_a_browser_posts(editor_client, case))

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = case.history.latest()
    assert latest.diff_against(latest.prev_record).changes == []
    case.refresh_from_db()
    assert (case.summary, case.partners) == ("First line of the summary.\nSecond line.", "Council\nA charity")
    # The rows were not saved at all: an unchanged rationale is not taken as a new assessment by the editor.
    assert PrincipleScore.history.count() + OutcomeFigure.history.count() + Source.history.count() == row_records
    assert list(PrincipleScore.objects.filter(case_study=case).values_list("assessed_by", "assessed_on")) == (
        scores_before
    )
    by_editor = [row for row in re.findall(r"<tr>(.*?)</tr>", timeline(editor_client, case), re.S) if "editor" in row]
    assert by_editor == []  # nothing changed, no reason given: nothing to show


def test_text_typed_with_windows_line_endings_is_stored_with_newlines(editor_client, principles):
    case = multi_line_case()
    data = as_a_browser_posts(editor_client, case)
    data["what_they_did"] = ["  Met weekly.\r\nThen daily.\r  "]
    data["scores-0-rationale"] = ["Reason one.\r\nReason two."]
    data["outcome_figures-0-statement"] = ["Fewer admissions.\r\nFewer visits."]
    assert editor_client.post(change_url(case), data).status_code == 302
    case.refresh_from_db()
    assert case.what_they_did == "Met weekly.\nThen daily."
    assert case.scores.first().rationale == "Reason one.\nReason two."
    assert case.outcome_figures.get().statement == "Fewer admissions.\nFewer visits."


def test_a_word_inserted_mid_paragraph_of_a_long_text_is_shown(editor_client, principles):
    case = complete_case(status=Status.DRAFT, summary=LONG_TEXT)
    data = as_a_browser_posts(editor_client, case)
    data["summary"] = [LONG_TEXT.replace("word60 ", "word60 INSERTED ")]
    assert editor_client.post(change_url(case), data).status_code == 302
    page = timeline(editor_client, case)
    assert "<ins>INSERTED </ins>" in page
    assert "chars]" not in page
    assert "word55 word56" in page  # the words around the change, for context
    assert "word10 " not in page  # far from the change: left out


def test_markup_in_the_text_is_shown_as_text_never_run(editor_client, principles):
    case = complete_case(status=Status.DRAFT, summary="A plain summary.")
    data = as_a_browser_posts(editor_client, case)
    data["summary"] = ['A <script>alert("x")</script> summary & <b>bold</b>.']
    data["change_reason"] = ["<img src=x onerror=alert(1)>"]
    assert editor_client.post(change_url(case), data).status_code == 302
    page = timeline(editor_client, case)
    assert "<script>" not in page and "<b>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_reason_for_a_change_is_kept_with_the_case_and_its_rows_and_shown(editor_client, principles):
    case = complete_case(status=Status.DRAFT)
    data = as_a_browser_posts(editor_client, case)
    data["title"] = ["A clearer title"]
    data["scores-0-score"] = ["3"]
    data["scores-0-rationale"] = ["Members run it."]
    data["sources-0-title"] = ["The 2019 evaluation"]
    data["change_reason"] = ["Checked with the project lead"]
    assert editor_client.post(change_url(case), data).status_code == 302

    assert case.history.latest().history_change_reason == "Checked with the project lead"
    assert PrincipleScore.history.filter(case_study_id=case.pk).latest().history_change_reason == (
        "Checked with the project lead"
    )
    assert Source.history.filter(case_study_id=case.pk).latest().history_change_reason == (
        "Checked with the project lead"
    )
    page = timeline(editor_client, case)
    assert page.count("<td>Checked with the project lead</td>") == 3


def test_no_reason_shows_nothing_not_none(editor_client, principles):
    case = complete_case(status=Status.DRAFT)
    data = as_a_browser_posts(editor_client, case)
    data["title"] = ["A clearer title"]
    assert editor_client.post(change_url(case), data).status_code == 302
    assert case.history.latest().history_change_reason is None
    page = editor_client.get(history_url(case)).content.decode()
    assert "None" not in page
    assert "<td></td>" in timeline(editor_client, case)


def test_one_timeline_covers_the_case_its_rows_terms_and_sites_with_who_and_when(editor_client, principles):
    region = RegionFactory(name="North East")
    case = complete_case(status=Status.DRAFT, region=region)
    data = as_a_browser_posts(editor_client, case)
    data["place"] = ["Gateshead"]
    data["sources-0-title"] = ["A new source title"]
    data["sites-0-name"] = ["The North East"]
    data["conditions"] = [str(ConditionFactory(name="Dementia").pk)]
    data["outcome_figures-TOTAL_FORMS"] = ["1"]
    data.update(
        {
            "outcome_figures-0-statement": ["Loneliness fell."],
            "outcome_figures-0-evidence_type": ["evaluation"],
            "outcome_figures-0-source_title": ["An evaluation"],
            "outcome_figures-0-position": ["1"],
        }
    )
    assert editor_client.post(change_url(case), data).status_code == 302

    page = timeline(editor_client, case)
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    by_editor = [row for row in rows if "<td>editor</td>" in row]
    whats = {re.findall(r"<td>(.*?)</td>", row, re.S)[2] for row in by_editor}
    assert {"Case study", "Source", "Outcome figure", "Site The North East"} <= whats
    assert "Place:" in page and "<ins>Gateshead</ins>" in page
    assert "Conditions:" in page and "<ins>Dementia</ins>" in page
    assert "<ins>The </ins>North East" in page
    assert re.search(r"\d+ \w+ \d{4}, \d\d:\d\d:\d\d", page)  # when


def test_the_history_of_an_id_that_is_not_a_number_is_not_found(editor_client):
    assert editor_client.get("/admin/catalogue/casestudy/abc/history/").status_code == 404


def test_a_deleted_case_still_shows_its_history(admin_client, principles):
    case = complete_case(status=Status.DRAFT)
    url = history_url(case)
    CaseStudy.objects.filter(pk=case.pk).delete()
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Deleted" in response.content.decode()


def test_text_saved_before_line_endings_were_normalised_is_mended_by_the_migration(editor_client, principles):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("catalogue.migrations.0007_history_terms_and_plain_messages")
    case = multi_line_case()
    CaseStudy.objects.filter(pk=case.pk).update(summary="One.\r\nTwo.\rThree.")
    PrincipleScore.objects.filter(case_study=case).update(rationale="A.\r\nB.")
    CaseStudy.history.filter(id=case.pk).update(summary="One.\r\nTwo.\rThree.")
    migration.normalise_line_endings(apps, None)
    case.refresh_from_db()
    assert case.summary == "One.\nTwo.\nThree."
    assert set(PrincipleScore.objects.filter(case_study=case).values_list("rationale", flat=True)) == {"A.\nB."}
    assert set(CaseStudy.history.filter(id=case.pk).values_list("summary", flat=True)) == {"One.\nTwo.\nThree."}
    response = editor_client.post(change_url(case), as_a_browser_posts(editor_client, case))
    assert response.status_code == 302
    latest = case.history.latest()
    assert latest.diff_against(latest.prev_record).changes == []
