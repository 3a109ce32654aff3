"""The streamed exports (one query, snapshot.snapshots) write exactly what the same cases loaded as model instances
give (snapshot.snapshot_of, as the API reads them), byte for byte, for every sort and filter, over varied data
several chunks long; and they make the same number of queries for 5 cases as for 450."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from catalogue.filters import CaseStudyFilter
from catalogue.models import CareSetting, CaseStudy, Status
from catalogue.opendata import export, records, snapshot
from catalogue.opendata.snapshot import snapshot_of
from tests.builders import ConditionFactory, RegionFactory, bulk_cases, random_catalogue
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
    "condition=nonsense&min_score=banana&sort=%01",
]


def filtered(query: str):
    return CaseStudyFilter(QueryDict(query), queryset=CaseStudy.objects.published()).qs


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(snapshot, "CHUNK_SIZE", CHUNK)


def loaded(queryset) -> list:
    """The cases of `queryset` as model instances with everything (the API's way), each made a snapshot."""
    return [snapshot_of(case) for case in queryset.with_everything()]


def expected_records(queryset, base: str) -> list[dict]:
    return [
        records.case_record(c, export.page_url(c.slug, base), export.api_url(c.slug, base)) for c in loaded(queryset)
    ]


@pytest.mark.slow
def test_the_exports_write_what_the_loaded_cases_give_for_every_sort_and_filter(client, small_chunks):
    random_catalogue(60)
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
    """Drafts without a region or anything else, straight through snapshots() (as export_catalogue calls it)."""
    random_catalogue(12, seed=2)
    bare = CaseStudy.objects.create(slug="bare", title="=Bare", lead_organisation="-", place="@", region=None,
                                    setting=CareSetting.HEALTH, status=Status.DRAFT)  # fmt: skip
    bare.sources.all().delete()
    everything = CaseStudy.objects.order_by("title", "pk")
    base = "https://example.org"
    csv_data = b"".join(export.csv_bytes(snapshot.snapshots(everything), base))
    json_data = b"".join(export.json_bytes(snapshot.snapshots(everything), base))
    assert csv_data == b"".join(export.csv_bytes(loaded(everything), base))
    assert json_records(json_data) == expected_records(everything, base)
    assert b'"slug": "bare"' in json_data and b'"region": null' in json_data


# The FilterSet reads the four taxonomies; the export reads them once more by id (and the CSV its columns' principles),
# then every case in one streamed query.
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
