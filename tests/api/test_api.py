"""The read-only API: lists, details, taxonomies, the OpenAPI schema and its locally served documentation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from catalogue.models import CaseStudy, Status
from config.middleware import NUL_REFUSED
from tests.builders import complete_case, varied_cases

pytestmark = pytest.mark.django_db


def test_openapi_schema_validates_and_documents_the_filters(client, principles):
    varied_cases()
    response = client.get(reverse("api:schema") + "?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)  # raises when the document is not valid OpenAPI
    assert schema["openapi"].startswith("3.")
    list_parameters = {p["name"] for p in schema["paths"]["/api/case-studies/"]["get"]["parameters"]}
    assert {
        "q",
        "condition",
        "region",
        "programmes",
        "reach",
        "approach",
        "setting",
        "principle",
        "min_score",
        "sort",
        "page",
    } <= list_parameters
    for path in [
        "/api/case-studies/{slug}/",
        "/api/principles/",
        "/api/conditions/",
        "/api/regions/",
        "/api/approaches/",
    ]:
        assert path in schema["paths"]


def test_case_list_is_paginated_and_public_only(client, principles):
    varied_cases()
    response = client.get(reverse("api:case-list") + "?page_size=2")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [case["slug"] for case in body["results"]] == ["alpha", "beta"]
    assert body["next"].endswith("page=2&page_size=2")
    first = body["results"][0]
    assert first["url"] == "http://testserver/case-studies/alpha/"
    assert first["reach"] == "one-site"
    assert first["sites"] == [
        {"name": "London", "area": {"slug": "london", "name": "London", "code": "E12000007", "kind": "english-region"}}
    ]
    assert "region" not in first
    assert [s["score"] for s in first["scores"]] == [3, 3, 3, 1, 2, 3]
    assert first["scores"][0]["label"] == "Defining feature"


def test_case_detail_has_every_field_and_drafts_are_not_found(client, principles):
    varied_cases()
    detail = client.get(reverse("api:case-detail", kwargs={"slug": "alpha"})).json()
    assert detail["summary"] == "A time bank in a GP surgery."
    assert detail["scores"][0]["rationale"] == "Seen plainly in how the service works."
    assert len(detail["sources"]) == 2 and len(detail["outcome_figures"]) == 2
    assert client.get(reverse("api:case-detail", kwargs={"slug": "delta"})).status_code == 404
    # A case's own address ignores list filters.
    assert client.get(reverse("api:case-detail", kwargs={"slug": "alpha"}) + "?region=wales").status_code == 200


def test_taxonomy_endpoints(client, principles):
    varied_cases()
    principles_listed = client.get(reverse("api:principle-list")).json()
    assert [p["number"] for p in principles_listed] == [1, 2, 3, 4, 5, 6]
    principle = client.get(reverse("api:principle-detail", kwargs={"slug": "peer-support-networks"})).json()
    assert [level["label"] for level in principle["levels"]] == [
        "Not evident", "Emerging", "Clearly present", "Defining feature",
    ]  # fmt: skip
    regions = {r["slug"]: r for r in client.get(reverse("api:region-list")).json()}
    assert regions["london"]["parent"] == "england"
    assert {c["slug"] for c in client.get(reverse("api:condition-list")).json()} >= {"mental-health", "copd"}
    assert {a["slug"] for a in client.get(reverse("api:approach-list")).json()} >= {"timebanks", "peer-support"}


def test_api_is_read_only(client, principles):
    varied_cases()
    assert client.post(reverse("api:case-list"), {}).status_code == 405
    assert client.delete(reverse("api:case-detail", kwargs={"slug": "alpha"})).status_code == 405
    assert CaseStudy.objects.filter(slug="alpha", status=Status.PUBLISHED).exists()


@pytest.mark.parametrize(
    ("query", "status", "answer"),
    [
        ("page=999", 404, {"detail": "Invalid page."}),
        ("q=%00", 400, {"detail": NUL_REFUSED}),  # refused before the API reads it (config/middleware.py)
    ],
)
def test_a_page_that_does_not_exist_or_a_nul_in_the_search_is_a_plain_json_answer(client, principles, query, status,
                                                                                   answer):  # fmt: skip
    varied_cases()
    response = client.get(reverse("api:case-list") + "?" + query)
    assert response.status_code == status
    assert response.json() == answer


def test_list_query_count_does_not_grow_with_cases(client, principles, django_assert_max_num_queries):
    # The FilterSet's four taxonomies (the areas twice: their tree, then their codes), the count, the page, and
    # everything about its cases (six more: the sites with their areas among them).
    for number in range(2):
        complete_case(slug=f"s-{number}")
    with django_assert_max_num_queries(13):
        assert client.get(reverse("api:case-list")).status_code == 200
    for number in range(18):
        complete_case(slug=f"l-{number}")
    with django_assert_max_num_queries(13):
        assert len(client.get(reverse("api:case-list")).json()["results"]) == 20


@pytest.mark.parametrize("name", ["api:docs"])
def test_documentation_uses_only_local_assets(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    assert 'src="http' not in page and 'href="http' not in page
