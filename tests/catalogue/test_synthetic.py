"""Scale: synthetic catalogues, and the cached facet counts and insights that must never go stale."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalogue import caching, synthetic
from catalogue.filters import CaseStudyFilter
from catalogue.models import CaseStudy, Condition, OutcomeFigure, PrincipleScore, Source, Status

from .factories import ApproachFactory, ConditionFactory, RegionFactory, complete_case, make_principles

pytestmark = pytest.mark.django_db


@pytest.fixture
def taxonomy():
    make_principles()
    for n in range(5):
        ConditionFactory(slug=f"condition-{n}", name=f"Condition {n}")
        ApproachFactory(slug=f"approach-{n}", name=f"Approach {n}")
    RegionFactory(slug="north", name="North")
    RegionFactory(slug="south", name="South")


def fingerprint() -> list[tuple]:
    cases = CaseStudy.objects.filter(is_synthetic=True).order_by("slug")
    return [
        (
            c.slug,
            c.title,
            c.summary,
            c.region.slug,
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


# --- caching -----------------------------------------------------------------------------------------------


def facet_count(response, facet: str, slug: str) -> int:
    return next(o.count for o in response.context["facets"][facet].options if o.value == slug)


def test_cached_facet_counts_change_after_an_edit(client):
    case = complete_case()
    condition = case.conditions.get()
    url = reverse("catalogue:case-list")
    assert facet_count(client.get(url), "condition", condition.slug) == 1
    assert facet_count(client.get(url), "condition", condition.slug) == 1  # from the cache

    other = ConditionFactory()
    case.conditions.add(other)  # m2m_changed
    assert facet_count(client.get(url), "condition", other.slug) == 1
    case.status = Status.DRAFT  # post_save
    case.save()
    assert facet_count(client.get(url), "condition", condition.slug) == 0


def test_cached_insights_change_after_a_score_changes(client):
    case = complete_case(scores=(3, 3, 3, 3, 3, 3))
    url = reverse("catalogue:insights") + "?min_score=3"
    spread = client.get(url).context["spread"]
    assert spread[0].counts == (0, 0, 0, 1)
    score = case.scores.get(principle__number=1)
    score.score = 1
    score.save()
    assert client.get(url).context["spread"][0].counts == (0, 1, 0, 0)
    score.delete()  # post_delete
    assert client.get(url).context["spread"][0].counts == (0, 0, 0, 0)


def test_renaming_a_term_refreshes_the_cached_facets(client):
    case = complete_case()
    condition = case.conditions.get()
    url = reverse("catalogue:case-list")
    client.get(url)
    Condition.objects.filter(pk=condition.pk).update(name="Renamed")  # no signal ...
    condition.name = "Renamed again"
    condition.save()  # ... but a save sends one
    labels = [o.label for o in client.get(url).context["facets"]["condition"].options]
    assert "Renamed again" in labels


def test_bulk_generation_refreshes_the_caches(taxonomy, client):
    url = reverse("catalogue:case-list")
    assert client.get(url).context["result_count"] == 0
    client.get(url)
    synthetic.generate(3, seed=1)
    response = client.get(url)
    assert sum(o.count for o in response.context["facets"]["setting"].options) == 3


def test_the_version_is_shared_through_the_cache():
    first = caching.version()
    assert caching.version() == first
    caching.bump()
    assert caching.version() != first


@pytest.mark.parametrize("size", [3, 12])
def test_cached_pages_need_fewer_queries_and_do_not_grow(client, django_assert_max_num_queries, size):
    for n in range(size):
        complete_case(title=f"Case {n}", slug=f"case-{n}")
    list_url = reverse("catalogue:case-list") + "?setting=health&principle=building-on-capabilities"
    insights_url = reverse("catalogue:insights")
    client.get(list_url)
    client.get(insights_url)
    with django_assert_max_num_queries(8):  # taxonomy choices, count, page, prefetches: no facet queries
        client.get(list_url)
    with django_assert_max_num_queries(1):
        client.get(insights_url)
