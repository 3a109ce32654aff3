"""A case's sites in admin: a site the reach contradicts is refused in words, and the save changes nothing."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from catalogue.models import CaseStudy, RegionKind, Status
from catalogue.places import reach as reach_rules
from tests.builders import complete_case, region
from tests.support.formdata import read_form

pytestmark = pytest.mark.django_db


def change_url(case):
    return reverse("admin:catalogue_casestudy_change", args=[case.pk])


@pytest.fixture
def lambeth_case(principles):
    uk = region("united-kingdom", "United Kingdom", RegionKind.UK, "K02000001")
    england = region("england", "England", RegionKind.NATION, "E92000001", uk, 1)
    london = region("london", "London", RegionKind.ENGLISH_REGION, "E12000007", england, 10)
    lambeth = region("lambeth", "Lambeth", RegionKind.LOCAL_AUTHORITY, "E09000022", london, 1000)
    region("southwark", "Southwark", RegionKind.LOCAL_AUTHORITY, "E09000028", london, 1001)
    return complete_case("Brixton time bank", region=lambeth, status=Status.DRAFT)


def post(client, case, **changes) -> tuple[int, str]:
    data = read_form(client.get(change_url(case)).content.decode(), form_id="casestudy_form")
    data.update({name: [value] for name, value in changes.items()})
    response = client.post(change_url(case), data)
    return response.status_code, html.unescape(response.content.decode())


def sites_of(case) -> list[tuple[str, str]]:
    return list(case.sites.values_list("name", "region__slug"))


def test_a_uk_site_on_a_one_site_case_is_refused_in_words(editor_client, lambeth_case):
    uk = lambeth_case.sites.get().region.parent.parent.parent
    status, page = post(editor_client, lambeth_case, **{"sites-0-region": str(uk.pk)})
    assert status == 200 and reach_rules.UK_SITE_ONLY_UK_WIDE in page
    assert sites_of(lambeth_case) == [("Lambeth", "lambeth")]


def test_a_second_site_on_a_one_site_case_is_refused_and_several_sites_are_taken(editor_client, lambeth_case):
    southwark = lambeth_case.sites.get().region.parent.children.get(slug="southwark")
    second = {"sites-TOTAL_FORMS": "2", "sites-1-name": "Peckham", "sites-1-region": str(southwark.pk),
              "sites-1-position": "2"}  # fmt: skip
    status, page = post(editor_client, lambeth_case, **second)
    assert status == 200 and reach_rules.ONE_SITE_HAS_ONE in page
    assert sites_of(lambeth_case) == [("Lambeth", "lambeth")]

    status, _page = post(editor_client, lambeth_case, reach="several-sites", **second)
    assert status == 302
    assert sites_of(lambeth_case) == [("Lambeth", "lambeth"), ("Peckham", "southwark")]
    assert CaseStudy.objects.get(pk=lambeth_case.pk).reach == "several-sites"


def test_publishing_needs_a_site(editor_client, lambeth_case):
    status, page = post(editor_client, lambeth_case, **{"sites-0-DELETE": "on", "status": Status.PUBLISHED})
    assert status == 200 and "at least one site" in page
    assert sites_of(lambeth_case) == [("Lambeth", "lambeth")]
