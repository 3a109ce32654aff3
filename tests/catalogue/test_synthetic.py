"""Synthetic catalogues (catalogue/synthetic.py and generate_synthetic): complete, published, marked, repeatable
from a seed, removable, and written with the stored profiles of their scores."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from catalogue import synthetic
from catalogue.choices import Reach, RegionKind
from catalogue.filters import CaseStudyFilter
from catalogue.models import CaseStudy, OutcomeFigure, PrincipleScore, Site, Source, Status
from catalogue.places import reach as reach_rules
from tests.builders import complete_case, region
from tests.support.profile_checks import stored_profiles_that_differ_from_scores

pytestmark = pytest.mark.django_db


def fingerprint() -> list[tuple]:
    cases = CaseStudy.objects.filter(is_synthetic=True).order_by("slug")
    return [
        (
            c.slug,
            c.title,
            c.summary,
            c.reach,
            tuple(c.sites.order_by("position").values_list("name", "region__slug")),
            tuple(sorted(c.conditions.values_list("slug", flat=True))),
            tuple(c.scores.order_by("principle__number").values_list("score", "rationale")),
        )
        for c in cases
    ]


def test_synthetic_cases_are_complete_published_and_marked(taxonomy):
    made = synthetic.generate(30, seed=7, batch_size=8)
    assert made == 30
    cases = CaseStudy.objects.filter(is_synthetic=True)
    assert cases.count() == 30
    assert set(cases.values_list("status", flat=True)) == {Status.PUBLISHED}
    for case in cases.prefetch_related("conditions", "approaches", "scores", "sources"):
        assert case.publishing_problems() == []
        assert 1 <= case.conditions.count() <= 4
        assert 1 <= case.approaches.count() <= 3
        assert all(s.rationale for s in case.scores.all())
        text = "".join([case.summary, case.context, case.what_they_did, case.sharing_power, case.outcomes])
        assert 1200 <= len(text) <= 4000, len(text)
    assert OutcomeFigure.objects.filter(case_study__is_synthetic=True).exists()
    # Bulk inserts write no history rows.
    assert CaseStudy.history.filter(slug__startswith=synthetic.SLUG_PREFIX).count() == 0


def test_the_same_seed_gives_the_same_cases(taxonomy):
    synthetic.generate(12, seed=5, batch_size=5)
    first = fingerprint()
    synthetic.remove()
    synthetic.generate(12, seed=5, batch_size=12)
    assert fingerprint() == first
    synthetic.remove()
    synthetic.generate(12, seed=6)
    assert [row[1:] for row in fingerprint()] != [row[1:] for row in first]


def test_remove_takes_out_only_synthetic_cases_and_their_rows(taxonomy):
    real = complete_case()
    synthetic.generate(10, seed=1)
    call_command("generate_synthetic", "--remove")
    assert list(CaseStudy.objects.all()) == [real]
    assert not PrincipleScore.objects.exclude(case_study=real).exists()
    assert not Source.objects.exclude(case_study=real).exists()
    assert not CaseStudy.conditions.through.objects.exclude(casestudy=real).exists()
    assert list(Site.objects.values_list("case_study", flat=True)) == [real.pk]


def test_command_shows_progress_and_refuses_a_repeated_seed(taxonomy, capsys):
    call_command("generate_synthetic", "--count", "5", "--seed", "2", "--batch-size", "2")
    out = capsys.readouterr().out
    assert "2 / 5 cases" in out and "5 / 5 cases" in out
    with pytest.raises(CommandError, match="already here"):
        call_command("generate_synthetic", "--count", "5", "--seed", "2")
    with pytest.raises(CommandError, match="--count"):
        call_command("generate_synthetic")


def test_synthetic_cases_are_found_by_search_and_filters(taxonomy):
    synthetic.generate(20, seed=3)
    word = CaseStudy.objects.filter(is_synthetic=True).first().lead_organisation.split()[0]
    assert CaseStudyFilter({"q": word}).qs.exists()
    assert CaseStudyFilter({"condition": ["condition-0", "condition-1"]}).qs.exists()


def test_synthetic_cases_are_written_with_the_profiles_of_their_scores(taxonomy):
    synthetic.generate(40, seed=3, batch_size=15)
    assert CaseStudy.objects.exclude(profile__contains="-").count() == 40
    assert not stored_profiles_that_differ_from_scores()


@pytest.fixture
def uk_areas(taxonomy):
    """The UK, two nations with two local authorities each, an English region with none and a country."""
    uk = region("united-kingdom", "United Kingdom", RegionKind.UK, "K02000001")
    england = region("england", "England", RegionKind.NATION, "E92000001", uk)
    scotland = region("scotland", "Scotland", RegionKind.NATION, "S92000003", uk)
    london = region("london", "London", RegionKind.ENGLISH_REGION, "E12000007", england)
    region("lambeth", "Lambeth", RegionKind.LOCAL_AUTHORITY, "E09000022", london)
    region("camden", "Camden", RegionKind.LOCAL_AUTHORITY, "E09000007", london)
    region("fife", "Fife", RegionKind.LOCAL_AUTHORITY, "S12000047", scotland)
    region("glasgow-city", "Glasgow City", RegionKind.LOCAL_AUTHORITY, "S12000049", scotland)
    region("finland", "Finland", RegionKind.COUNTRY, "FI")


def test_synthetic_cases_have_a_reach_and_sites_that_fit_it(uk_areas):
    synthetic.generate(400, seed=11, batch_size=150)
    cases = CaseStudy.objects.filter(is_synthetic=True).prefetch_related("sites__region")
    reaches = {reach: 0 for reach in Reach.values}
    for case in cases:
        kinds = [site.region.kind for site in case.sites.all()]
        assert reach_rules.problems(case.reach, kinds) == [], (case.reach, kinds)
        if case.reach in (Reach.ONE_SITE, Reach.SEVERAL_SITES):
            assert set(kinds) == {RegionKind.LOCAL_AUTHORITY}  # local authorities when there are any
        reaches[case.reach] += 1
    assert reaches[Reach.ONE_SITE] > 250
    assert 15 < reaches[Reach.SEVERAL_SITES] < 90
    assert 0 < reaches[Reach.NATION_WIDE] < 40 and 0 < reaches[Reach.UK_WIDE] < 30
    assert CaseStudyFilter({"reach": [Reach.UK_WIDE]}).qs.count() == reaches[Reach.UK_WIDE]
    assert CaseStudyFilter({"region": ["lambeth"], "programmes": "exclude"}).qs.exists()


def test_without_local_authorities_sites_go_in_the_areas_with_none_below(taxonomy):
    synthetic.generate(20, seed=2)
    areas = set(Site.objects.values_list("region__slug", flat=True))
    assert areas <= {"north", "south"} and areas
    assert set(CaseStudy.objects.values_list("reach", flat=True)) <= {Reach.ONE_SITE, Reach.SEVERAL_SITES}
