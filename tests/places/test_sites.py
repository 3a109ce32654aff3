"""Sites and reach: the rules held by the database's triggers and by the write path, and filtering by place."""

from __future__ import annotations

import importlib

import pytest
from django.db import IntegrityError, transaction

from catalogue import services
from catalogue.filters import CaseStudyFilter
from catalogue.models import CaseStudy, Reach, Site, Status
from catalogue.places import reach
from tests.builders import NO_SITE, CaseStudyFactory, complete_case

pytestmark = pytest.mark.django_db


def refused(write) -> str:
    try:
        with transaction.atomic():
            write()
    except IntegrityError as exc:
        return str(exc)
    return ""


def test_the_database_refuses_a_uk_site_on_a_case_that_is_not_uk_wide(areas):
    case = CaseStudyFactory(region=areas["lambeth"])
    CaseStudy.objects.filter(pk=case.pk).update(reach=Reach.SEVERAL_SITES)
    assert reach.UK_SITE_ONLY_UK_WIDE in refused(
        lambda: Site.objects.create(case_study=case, region=areas["united-kingdom"], name="Across the UK")
    )
    assert list(case.sites.values_list("region__slug", flat=True)) == ["lambeth"]


def test_the_database_refuses_a_second_site_on_a_one_site_case_and_a_reach_its_sites_contradict(areas):
    case = CaseStudyFactory(region=areas["lambeth"])
    assert reach.ONE_SITE_HAS_ONE in refused(
        lambda: Site.objects.create(case_study=case, region=areas["newcastle-upon-tyne"], name="Newcastle")
    )
    assert reach.UK_WIDE_SITES in refused(lambda: CaseStudy.objects.filter(pk=case.pk).update(reach=Reach.UK_WIDE))
    assert reach.NATION_WIDE_SITES in refused(
        lambda: CaseStudy.objects.filter(pk=case.pk).update(reach=Reach.NATION_WIDE)
    )
    assert CaseStudy.objects.get(pk=case.pk).reach == Reach.ONE_SITE


def test_the_database_words_each_rule_as_the_write_path_does():
    """The migration freezes the rules' wording; a change to places/reach.py without a migration that rewords
    the triggers would tell editors one thing in forms and another in errors from the database."""
    migration = importlib.import_module("catalogue.migrations.0010_sites_and_reach")
    frozen = {message for message, _rule in migration.RULES}
    assert frozen == {reach.UK_SITE_ONLY_UK_WIDE, reach.ONE_SITE_HAS_ONE, reach.NATION_WIDE_SITES, reach.UK_WIDE_SITES}


def test_the_database_refuses_a_site_with_no_area(areas):
    case = CaseStudyFactory(region=NO_SITE)
    assert refused(lambda: Site.objects.create(case_study=case, region=None, name="Nowhere"))


def test_the_write_path_refuses_sites_the_reach_contradicts_and_writes_nothing(areas):
    case = complete_case("Lambeth time bank", region=areas["lambeth"])
    content = services.CaseContent(
        fields={"reach": Reach.ONE_SITE},
        sites=[{"name": "Across the UK", "region": areas["united-kingdom"]}],
    )
    with pytest.raises(services.CaseRefused) as refusal:
        services.write_case(case, content, status=case.status, assessor="Editor")
    assert refusal.value.problems == [
        ("sites", "Only a UK-wide programme can have the whole United Kingdom as a site.")
    ]
    assert list(case.sites.values_list("region__slug", flat=True)) == ["lambeth"]


def test_the_write_path_changes_reach_and_sites_together(areas):
    case = complete_case("Lambeth time bank", region=areas["lambeth"], status=Status.DRAFT)
    content = services.CaseContent(
        fields={"reach": Reach.UK_WIDE},
        sites=[
            {"name": "Across the UK", "region": areas["united-kingdom"]},
            {"name": "Australia", "region": areas["australia"]},
        ],
    )
    assert services.write_case(case, content, status=case.status, assessor="Editor")
    case.refresh_from_db()
    assert case.reach == Reach.UK_WIDE
    assert list(case.sites.values_list("region__slug", flat=True)) == ["united-kingdom", "australia"]


def slugs(query: dict) -> set[str]:
    return set(CaseStudyFilter(query).qs.values_list("slug", flat=True))


def test_a_uk_wide_programme_is_found_under_north_east_unless_programmes_are_left_out(placed):
    assert slugs({"region": "north-east"}) == {"shared-lives", "health-trainers", "year-of-care"}
    assert slugs({"region": "north-east", "programmes": "exclude"}) == {"year-of-care"}
    assert slugs({"region": "scotland"}) == {"shared-lives"}
    assert slugs({"region": "australia"}) == {"sheds-down-under"}


def test_a_case_with_sites_in_two_regions_is_under_both_and_counted_once_above_them(placed):
    assert "year-of-care" in slugs({"region": "london"}) & slugs({"region": "north-east"})
    counts = CaseStudyFilter({}).filters["region"].counts(CaseStudy.objects.published())
    assert counts["england"] == len(slugs({"region": "england"})) == 4
    assert counts["north-east"] == 3
    assert counts["newcastle-upon-tyne"] == 3  # Year of Care's site and the two programmes covering it


def test_area_codes_work_as_filter_values_and_unknown_ones_are_noticed(placed):
    assert slugs({"region": "E12000001"}) == slugs({"region": "north-east"})
    assert slugs({"region": "e08000021"}) == slugs({"region": "newcastle-upon-tyne"})
    assert slugs({"region": "au"}) == {"sheds-down-under"}
    unknown = CaseStudyFilter({"region": "E99999999"})
    assert "E99999999" in " ".join(unknown.notices)


def test_facet_counts_equal_what_each_filter_finds(placed):
    for programmes in ["include", "exclude"]:
        f = CaseStudyFilter({"programmes": programmes})
        counts = f.filters["region"].counts(CaseStudy.objects.published())
        for slug in ["united-kingdom", "england", "scotland", "north-east", "london", "lambeth", "australia"]:
            assert counts[slug] == len(slugs({"region": slug, "programmes": programmes})), (slug, programmes)


def test_reach_filters_and_england_wide_programmes(placed):
    assert slugs({"reach": "uk-wide"}) == {"shared-lives"}
    assert slugs({"region": "england", "reach": "nation-wide"}) == {"health-trainers"}
