"""The streamed exports (one query, snapshot.snapshots) write exactly what the same cases loaded as model instances
give (snapshot.snapshot_of, as the API reads them), byte for byte, for every sort and filter, over varied data
several chunks long; and they make the same number of queries for 5 cases as for 450."""

from __future__ import annotations

import datetime
import random

import pytest
from django.http import QueryDict
from django.urls import reverse

from catalogue.assessing import assessments_prefetch
from catalogue.filters import CaseStudyFilter
from catalogue.models import AssessorRole, CareSetting, CaseStudy, PrincipleScore, Status
from catalogue.opendata import export, records, snapshot
from catalogue.opendata.snapshot import snapshot_of
from tests.builders import (
    AWKWARD_TEXTS,
    REVIEWED,
    ConditionFactory,
    RegionFactory,
    assess,
    bulk_cases,
    random_catalogue,
)
from tests.support.exported import json_records, streamed

pytestmark = pytest.mark.django_db

CHUNK = 7  # a small chunk, so that even a test-sized export spans many of them

QUERIES = [
    "",
    "sort=title",
    "sort=newest",
    "sort=strength",
    "sort=strength&principle=peer-support-networks&principle=building-on-capabilities&min_score=1",
    "q=bank",
    "q=bank&sort=newest",
    "q=ünïcode or bank",
    "condition=mental-health&condition=copd",
    "region=england&setting=health&setting=community",
    "approach=timebanks&principle=mutuality-and-reciprocity&min_score=3",
    "page=2",
]


def filtered(query: str):
    return CaseStudyFilter(QueryDict(query), queryset=CaseStudy.objects.published()).qs


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(snapshot, "CHUNK_SIZE", CHUNK)


def loaded(queryset) -> list:
    """The cases of `queryset` as model instances with everything and their assessments (the API's case detail's
    way), each made a snapshot."""
    cases = queryset.with_everything().prefetch_related(assessments_prefetch())
    return [snapshot_of(case, assessments=True) for case in cases]


def assess_some(seed: int = 3) -> None:
    """Independent assessments on most cases: none, one or three, of every role, with the same or different dates
    (the order falls back on the label, then the id), a principle left unscored, a score resting on a source,
    awkward texts, and moderation reasons on some agreed scores."""
    rng = random.Random(seed)
    roles = [AssessorRole.EDITOR, AssessorRole.EDITOR, AssessorRole.LIVED_EXPERIENCE, AssessorRole.SELF]
    for case in CaseStudy.objects.order_by("pk"):
        for index in range(rng.choice([0, 1, 3])):
            scores = [rng.choice([None, 0, 1, 2, 3]) if index == 2 else rng.randint(0, 3) for _ in range(6)]
            assessment = assess(case, scores, label=rng.choice(["Editor B", "editor a", "Ünï reviewer"]) + str(index),
                                role=rng.choice(roles), assessed_on=rng.choice([REVIEWED, datetime.date(2025, 3, 1)]),
                                rationale=rng.choice(AWKWARD_TEXTS[:-1]))  # fmt: skip
            source = case.sources.first()
            if source and rng.random() < 0.5:
                assessment.scores.filter(principle__number=rng.randint(1, 6)).update(source=source)
        PrincipleScore.objects.filter(case_study=case, principle__number=rng.randint(1, 6)).update(
            moderation_reason=rng.choice(AWKWARD_TEXTS)
        )


def expected_records(queryset, base: str) -> list[dict]:
    return [
        records.case_record(c, export.page_url(c.slug, base), export.api_url(c.slug, base)) for c in loaded(queryset)
    ]


@pytest.mark.slow
def test_the_exports_write_what_the_loaded_cases_give_for_every_sort_and_filter(client, small_chunks):
    random_catalogue(60)
    assess_some()
    exported = 0
    base = "http://testserver"
    for query in QUERIES:
        csv_data = streamed(client.get(reverse("catalogue:case-export-csv") + "?" + query))
        json_data = streamed(client.get(reverse("catalogue:case-export-json") + "?" + query))
        assert csv_data == b"".join(export.csv_bytes(loaded(filtered(query)), base)), query
        assert json_records(json_data) == expected_records(filtered(query), base), query
        exported += csv_data.count(b"http://testserver/case-studies/")
    assert exported > 250  # most queries exported many cases, over many chunks
    assert b"case-0000" not in csv_data  # a draft is never exported


def test_an_export_of_every_case_matches_too(small_chunks, principles):
    """Drafts without a site or anything else, straight through snapshots() (as export_catalogue calls it)."""
    random_catalogue(12, seed=2)
    assess_some(seed=4)
    bare = CaseStudy.objects.create(slug="bare", title="=Bare", lead_organisation="-", place="@",
                                    setting=CareSetting.HEALTH, status=Status.DRAFT)  # fmt: skip
    bare.sources.all().delete()
    everything = CaseStudy.objects.order_by("title", "pk")
    base = "https://example.org"
    csv_data = b"".join(export.csv_bytes(snapshot.snapshots(everything), base))
    json_data = b"".join(export.json_bytes(snapshot.snapshots(everything, assessments=True), base))
    assert csv_data == b"".join(export.csv_bytes(loaded(everything), base))
    assert json_records(json_data) == expected_records(everything, base)
    assert b'"slug": "bare"' in json_data and b'"sites": []' in json_data


# The FilterSet reads the four taxonomies (the areas in one query, their tree with codes and kinds); the export
# reads them once more by id (and the CSV its columns' principles), then every case in one streamed query.
@pytest.mark.parametrize(("name", "queries"), [("catalogue:case-export-csv", 10), ("catalogue:case-export-json", 9)])
@pytest.mark.parametrize("query", ["", "sort=strength&principle=peer-support-networks", "q=bank", "sort=newest"])
def test_export_queries_are_the_same_for_5_cases_and_450(
    client, small_chunks, django_assert_num_queries, name, queries, query
):
    region = RegionFactory(slug="r", name="R", code="E12000001")
    condition = ConditionFactory(slug="c", name="C")
    url = reverse(name) + "?" + query

    bulk_cases(range(5), region=region, condition=condition)
    streamed(client.get(url))  # the first request of a process reads what later ones have cached
    with django_assert_num_queries(queries) as small:
        small_data = streamed(client.get(url))
    bulk_cases(range(5, 450), region=region, condition=condition)
    with django_assert_num_queries(queries) as large:
        large_data = streamed(client.get(url))
    page = b"http://testserver/case-studies/bank-"
    assert (small_data.count(page), large_data.count(page)) == (5, 450)  # 65 chunks of 7, the same queries
    assert [q["sql"][:40] for q in small.captured_queries] == [q["sql"][:40] for q in large.captured_queries]
