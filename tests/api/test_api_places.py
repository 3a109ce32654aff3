"""The API's places: every area at /api/regions/, the case list's `region` by slug or code, and a 400 naming the
parameter for an area, reach or programmes value it does not know (never, silently, every case)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.choices import Reach, RegionKind
from tests.builders import RegionFactory, complete_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(principles):
    uk = RegionFactory(slug="united-kingdom", name="United Kingdom", code="K02000001", kind=RegionKind.UK)
    england = RegionFactory(slug="england", name="England", code="E92000001", kind=RegionKind.NATION, parent=uk)
    north_east = RegionFactory(slug="north-east", name="North East", code="E12000001", parent=england)
    newcastle = RegionFactory(slug="newcastle-upon-tyne", name="Newcastle upon Tyne", code="E08000021",
                              kind=RegionKind.LOCAL_AUTHORITY, parent=north_east)  # fmt: skip
    london = RegionFactory(slug="london", name="London", code="E12000007", parent=england)
    complete_case("In Newcastle", slug="newcastle", region=newcastle)
    complete_case("In London", slug="london-case", region=london)
    complete_case("Across England", slug="england-wide", region=england, reach=Reach.NATION_WIDE)
    return {"north-east": north_east, "newcastle": newcastle}


def slugs(client, query: str) -> list[str]:
    response = client.get(reverse("api:case-list") + "?" + query)
    assert response.status_code == 200, response.content
    return [case["slug"] for case in response.json()["results"]]


def test_regions_lists_every_area_with_its_kind_and_parent(client, places):
    areas = {area["slug"]: area for area in client.get(reverse("api:region-list")).json()}
    assert areas["newcastle-upon-tyne"] == {
        "slug": "newcastle-upon-tyne", "name": "Newcastle upon Tyne", "kind": "local-authority", "code": "E08000021",
        "parent": "north-east",
    }  # fmt: skip
    assert areas["united-kingdom"]["parent"] is None


def test_region_by_code_is_region_by_slug(client, places):
    by_slug = slugs(client, "region=north-east")
    assert by_slug == ["england-wide", "newcastle"]
    assert slugs(client, "region=E12000001") == by_slug
    assert slugs(client, "region=e12000001") == by_slug
    assert slugs(client, "region=E08000021&programmes=exclude") == ["newcastle"]
    assert slugs(client, "reach=nation-wide") == ["england-wide"]


@pytest.mark.parametrize(("query", "body"), [
    ("region=E99999999", {"region": ["Unknown area 'E99999999': give an area slug or an ONS GSS (E12000001) or "
                                     "ISO 3166 (AU) code; see /api/regions/."]}),
    ("region=north-east&region=E12", {"region": ["Unknown area 'E12': give an area slug or an ONS GSS (E12000001) "
                                                 "or ISO 3166 (AU) code; see /api/regions/."]}),
    ("reach=galactic", {"reach": ["Unknown reach 'galactic': give one of " + ", ".join(Reach.values) + "."]}),
    ("programmes=only", {"programmes": ["Unknown programmes value 'only': give include or exclude."]}),
])  # fmt: skip
def test_an_unknown_place_reach_or_programmes_value_is_a_400_naming_the_parameter(client, places, query, body):
    response = client.get(reverse("api:case-list") + "?" + query)
    assert response.status_code == 400
    assert response.json() == body


def test_the_schema_documents_the_place_parameters_and_the_400(client, places):
    operation = client.get(reverse("api:schema") + "?format=json").json()["paths"]["/api/case-studies/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert "E12000001" in parameters["region"]["description"] and "400" in parameters["region"]["description"]
    assert sorted(parameters["reach"]["schema"]["items"]["enum"]) == sorted(Reach.values)
    assert sorted(parameters["programmes"]["schema"]["enum"]) == ["exclude", "include"]
    assert "400" in operation["responses"]
