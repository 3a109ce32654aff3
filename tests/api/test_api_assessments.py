"""The API's assessments: a case's detail (and /api/case-studies/<slug>/assessments/) carries its independent
assessments with their scores and each agreed score's moderation reason; lists leave them out; the OpenAPI
schema documents them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from catalogue.models import AssessorRole, Confidence, Status
from tests.builders import assess, complete_case, varied_cases
from tests.support.exported import json_records, streamed

pytestmark = pytest.mark.django_db


def assessed_case(slug: str = "assessed", **fields):
    """A published case with an editor's assessment (its first score resting on the case's source), a
    lived-experience review dated earlier, and a moderation reason on the agreed score for peer support."""
    case = complete_case(slug=slug, **fields)
    editor = assess(case, [3, 2, 1, 2, 3, 0], label="Editor A", assessed_on=datetime.date(2026, 3, 1))
    editor.scores.filter(principle__number=1).update(source=case.sources.get())
    editor.confidence = Confidence.MEDIUM
    editor.save()
    assess(case, [1, 1, 1, 1, 1, 1], label="Sam", role=AssessorRole.LIVED_EXPERIENCE,
           assessed_on=datetime.date(2026, 1, 20))  # fmt: skip
    case.scores.filter(principle__number=3).update(moderation_reason="The level-1 text names group sessions.")
    return case


def test_case_detail_has_each_assessment_with_its_scores_and_the_moderation_reasons(client, principles):
    case = assessed_case()
    detail = client.get(reverse("api:case-detail", kwargs={"slug": "assessed"})).json()

    assert [score["moderation_reason"] for score in detail["scores"]] == [
        "", "", "The level-1 text names group sessions.", "", "", "",
    ]  # fmt: skip
    assert [a["label"] for a in detail["assessments"]] == ["Sam", "Editor A"]  # oldest first
    sam, editor = detail["assessments"]
    assert {key: value for key, value in editor.items() if key != "scores"} == {
        "label": "Editor A",
        "role": "editor",
        "rubric_version": 1,
        "assessed_on": "2026-03-01",
        "confidence": "medium",
    }
    assert (sam["role"], sam["confidence"]) == ("lived-experience", "")
    assert [s["score"] for s in editor["scores"]] == [3, 2, 1, 2, 3, 0]
    source = case.sources.get()
    assert editor["scores"][0] == {
        "principle": "building-on-capabilities",
        "score": 3,
        "label": "Defining feature",
        "rationale": "Seen in how the service works. (Editor A, building-on-capabilities)",
        "source": {"title": source.title, "url": source.url},
    }
    assert [s["source"] for s in editor["scores"][1:]] == [None] * 5


def test_the_nested_route_is_the_assessment_part_of_the_detail(client, principles):
    assessed_case()
    detail = client.get(reverse("api:case-detail", kwargs={"slug": "assessed"})).json()
    nested = client.get(reverse("api:case-assessments", kwargs={"slug": "assessed"})).json()
    assert list(nested) == ["slug", "url", "api_url", "scores", "assessments"]
    assert nested == {name: detail[name] for name in nested}


def test_drafts_and_unknown_cases_are_not_found(client, principles):
    assessed_case("hidden", status=Status.DRAFT)
    for name in ["api:case-detail", "api:case-assessments"]:
        assert client.get(reverse(name, kwargs={"slug": "hidden"})).status_code == 404
        assert client.get(reverse(name, kwargs={"slug": "no-such-case"})).status_code == 404


def test_lists_leave_assessments_out(client, principles):
    assessed_case()
    first = client.get(reverse("api:case-list")).json()["results"][0]
    assert "assessments" not in first
    assert set(first["scores"][0]) == {"principle", "score", "label"}


def test_the_json_export_carries_the_assessments_as_the_detail_does(client, principles):
    varied_cases()
    assessed_case()
    records = {r["slug"]: r for r in json_records(streamed(client.get(reverse("catalogue:case-export-json"))))}
    detail = client.get(reverse("api:case-detail", kwargs={"slug": "assessed"})).json()
    assert records["assessed"] == detail
    assert len(records["assessed"]["assessments"]) == 2
    assert records["alpha"]["assessments"] == []


def test_detail_queries_do_not_grow_with_assessments(client, principles, django_assert_max_num_queries):
    case = assessed_case()
    url = reverse("api:case-detail", kwargs={"slug": "assessed"})
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for number in range(5):
        assess(case, [2] * 6, label=f"Editor {number}", role=AssessorRole.SELF)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).json()["assessments"]) == 7


def test_the_schema_documents_the_assessments(client, principles):
    schema = client.get(reverse("api:schema") + "?format=json").json()
    validate(schema)
    assert "/api/case-studies/{slug}/assessments/" in schema["paths"]
    components = schema["components"]["schemas"]
    detail = components["CaseStudyDetail"]["properties"]
    assert detail["assessments"]["type"] == "array"
    assessment = components[detail["assessments"]["items"]["$ref"].rsplit("/", 1)[-1]]["properties"]
    assert {"label", "role", "rubric_version", "assessed_on", "confidence", "scores"} <= set(assessment)
    score = components[assessment["scores"]["items"]["$ref"].rsplit("/", 1)[-1]]["properties"]
    assert {"principle", "score", "label", "rationale", "source"} <= set(score)
    agreed = components[detail["scores"]["items"]["$ref"].rsplit("/", 1)[-1]]["properties"]
    assert "moderation_reason" in agreed
    assert "assessments" not in components["CaseStudyList"]["properties"]
    assert components["RoleEnum"]["enum"] == ["editor", "lived-experience", "self"]
