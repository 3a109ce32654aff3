"""A case's places in the open data: the reach, sites and areas columns, their round trip through the import, and
what the import refuses (naming row and column, writing nothing)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalogue.choices import Reach, RegionKind
from catalogue.models import CaseStudy, Site
from catalogue.opendata import importing
from catalogue.opendata.codecs import CellError
from catalogue.opendata.sitecodec import SiteCells
from catalogue.places import reach as reach_rules
from tests.builders import RegionFactory, add_site, assess_independently, complete_case
from tests.support.exported import csv_rows, json_records, streamed, to_csv

pytestmark = pytest.mark.django_db

AWKWARD_NAMES = ["Stroud (Stonehouse, Nailsworth)", "A; B", "back\\slash", "(E09000030)", "Tower Hamlets"]


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_a_site_name_comes_back_exactly(name):
    codec = SiteCells()
    sites = [(name, "E09000030"), ("Calderdale", "E08000033")]
    assert codec.decode(codec.encode(sites)) == sites


def test_the_sites_cell_reads_as_a_spreadsheet_user_writes_it():
    codec = SiteCells()
    assert codec.encode([("Tower Hamlets", "E09000030"), ("Calderdale", "E08000033")]) == (
        "Tower Hamlets (E09000030); Calderdale (E08000033)"
    )
    assert codec.decode(" tower hamlets (e09000030) ;; Calderdale(E08000033); ") == [
        ("tower hamlets", "E09000030"), ("Calderdale", "E08000033"),
    ]  # fmt: skip
    assert codec.decode("(AU)") == [("", "AU")]
    with pytest.raises(CellError, match=r"site 2 'Calderdale' has no area: write each site as Name \(CODE\)"):
        codec.decode("Tower Hamlets (E09000030); Calderdale")


@pytest.fixture
def two_sites(principles):
    """A published case with two sites, one with a name a spreadsheet would find awkward."""
    london = RegionFactory(slug="london", name="London", code="E12000007")
    tower = RegionFactory(slug="tower-hamlets", name="Tower Hamlets", code="E09000030", parent=london,
                          kind=RegionKind.LOCAL_AUTHORITY)  # fmt: skip
    calderdale = RegionFactory(slug="calderdale", name="Calderdale", code="E08000033",
                               kind=RegionKind.LOCAL_AUTHORITY)  # fmt: skip
    case = complete_case("Two towns", slug="two-towns", region=tower)
    Site.objects.filter(case_study=case).update(name="Poplar (Bow; Mile End), east")
    add_site(case, calderdale)
    assess_independently(case)
    return case


def export(client) -> bytes:
    return streamed(client.get(reverse("catalogue:case-export-csv")))


def run(tmp_path, data: bytes, *args: str) -> str:
    path = tmp_path / "cases.csv"
    path.write_bytes(data)
    out = StringIO()
    call_command("import_case_studies", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def places() -> list:
    return [
        sorted(CaseStudy.objects.values_list("slug", "reach", "status")),
        list(Site.objects.order_by("case_study__slug", "position", "pk").values_list("name", "region__code")),
    ]


def test_the_csv_and_json_carry_reach_sites_and_areas(client, two_sites):
    [row] = csv_rows(export(client))
    assert row["reach"] == "several-sites"
    assert row["sites"] == "Poplar (Bow\\; Mile End), east (E09000030); Calderdale (E08000033)"
    assert row["areas"] == "E09000030; E08000033"
    [record] = json_records(streamed(client.get(reverse("catalogue:case-export-json"))))
    assert record["reach"] == "several-sites"
    assert record["sites"] == [
        {"name": "Poplar (Bow; Mile End), east",
         "area": {"slug": "tower-hamlets", "name": "Tower Hamlets", "code": "E09000030", "kind": "local-authority"}},
        {"name": "Calderdale",
         "area": {"slug": "calderdale", "name": "Calderdale", "code": "E08000033", "kind": "local-authority"}},
    ]  # fmt: skip
    assert "areas" not in record and "region" not in record


def test_export_then_import_changes_nothing_and_restores_both_sites(client, two_sites, tmp_path):
    data = export(client)
    before = places()
    assert "Created 0, updated 0, unchanged 1." in run(tmp_path, data)
    assert places() == before
    CaseStudy.objects.all().delete()
    assert "Created 1, updated 0, unchanged 0." in run(tmp_path, data)
    assess_independently(*CaseStudy.objects.all())
    run(tmp_path, data, "--publish")
    assert places() == before
    assert export(client) == data


def test_a_site_given_by_its_code_alone_is_named_after_its_area(client, two_sites, tmp_path):
    [row] = csv_rows(export(client))
    row["sites"] = "(e09000030); Calderdale (E08000033)"
    run(tmp_path, to_csv([row]))
    assert list(two_sites.sites.values_list("name", flat=True)) == ["Tower Hamlets", "Calderdale"]


def problems_for(rows, publish: bool = False) -> list[str]:
    return [str(p) for p in importing.read(to_csv(rows), publish=publish).problems]


@pytest.mark.parametrize(("change", "expected"), [
    ({"sites": "Atlantis (E99999999)"},
     "row 2, column sites (M): site 1: unknown area code 'E99999999' (an ONS GSS code in the UK such as E09000030, "
     "an ISO 3166 code elsewhere such as AU; see /api/regions/)"),
    ({"sites": "Tower Hamlets (E09000030); Calderdale"},
     "row 2, column sites (M): site 2 'Calderdale' has no area: write each site as Name (CODE), e.g. Tower Hamlets "
     "(E09000030)"),
    ({"reach": "one-site"}, f"row 2, column sites (M): {reach_rules.ONE_SITE_HAS_ONE} (reach one-site)"),
    ({"reach": "nation-wide"}, f"row 2, column sites (M): {reach_rules.NATION_WIDE_SITES} (reach nation-wide)"),
    ({"reach": "everywhere"}, "row 2, column reach (L): 'everywhere' is not one of: " + ", ".join(Reach.values)),
    ({"sites": "Here (E09000030); Here (E08000033)"},
     "row 2, column sites (M): site 2: the case already has a site named 'Here'"),
])  # fmt: skip
def test_the_import_refuses_bad_places_naming_row_and_column(client, two_sites, tmp_path, change, expected):
    [row] = csv_rows(export(client))
    before = places()
    assert problems_for([{**row, **change}]) == [expected]
    with pytest.raises(CommandError):
        run(tmp_path, to_csv([{**row, **change}]))
    assert places() == before


def test_a_reach_the_stored_sites_contradict_is_named_on_the_reach_column(client, two_sites):
    [row] = csv_rows(export(client))
    del row["sites"], row["areas"]
    row["reach"] = "uk-wide"
    assert problems_for([row]) == [f"row 2, column reach (L): {reach_rules.UK_WIDE_SITES} (reach uk-wide)"]


def test_publishing_without_a_site_is_refused_and_writes_nothing(client, two_sites, tmp_path):
    [row] = csv_rows(export(client))
    CaseStudy.objects.all().delete()
    row["sites"] = ""
    assert problems_for([row], publish=True) == [
        "row 2, column sites (M): This case cannot be published yet. It needs: at least one site.",
        "row 2: This case cannot be published yet. It needs: at least 2 independent editor assessments (it has 0).",
    ]
    with pytest.raises(CommandError):
        run(tmp_path, to_csv([row]), "--publish")
    assert not CaseStudy.objects.exists()
    run(tmp_path, to_csv([{**row, "reach": "one-site"}]))  # a draft may wait for its sites
    assert CaseStudy.objects.get().sites.count() == 0


def test_a_file_with_the_old_region_column_says_what_replaced_it(client, two_sites):
    [row] = csv_rows(export(client))
    [problem] = problems_for([{**row, "region": "london"}])
    assert problem.startswith("row 1, column region (")
    assert "replaced by reach and sites" in problem
