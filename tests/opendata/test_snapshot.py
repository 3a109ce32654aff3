"""The streamed exports (one query, snapshot.snapshots) write exactly what the same cases loaded as model instances
give (snapshot.snapshot_of, as the API reads them), byte for byte, for every sort and filter, over varied data
several chunks long; and they make the same number of queries for 5 cases as for 450."""

from __future__ import annotations

import datetime
import random

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from catalogue.filters import CaseStudyFilter
from catalogue.models import CareSetting, CaseStudy, EvidenceType, OutcomeFigure, PrincipleScore, Source, Status
from catalogue.opendata import export, records, snapshot
from catalogue.opendata.snapshot import snapshot_of
from tests.builders import ApproachFactory, ConditionFactory, RegionFactory, complete_case, make_principles
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
    "condition=nonsense&min_score=banana&sort=%00",
]

TEXTS = [
    "Plain words.",
    "=SUM(A1:A9)",
    "+44 20 7946 0000",
    "-2 degrees",
    "@mention",
    "\tindented",
    "'quoted already",
    "Ünïcödé: 日本語, emoji 🎉, right-to-left עברית",
    'Commas, "quotes", and\nline breaks\r\nof both kinds',
    "A time bank for a whole town",
    "",
]


def build_catalogue(count: int, seed: int = 6) -> None:
    """`count` cases that differ in every way an export shows, plus drafts and cases in review."""
    rng = random.Random(seed)
    principles = make_principles()
    england = RegionFactory(slug="england", name="England", code="E92000001")
    regions = [
        england,
        RegionFactory(slug="london", name="London", code="E12000007", parent=england),
        RegionFactory(slug="wales", name="Wales", code="W92000004"),
        RegionFactory(slug="ile-de-france", name="Île-de-France", code="FR-IDF", kind="country"),
    ]
    # Names whose order differs between code points and a language's collation (capitals, accents).
    conditions = [
        ConditionFactory(slug="mental-health", name="mental health"),
        ConditionFactory(slug="copd", name="COPD"),
        ConditionFactory(slug="eating", name="Éating disorders"),
        ConditionFactory(slug="zz-dementia", name="Dementia"),
    ]
    approaches = [
        ApproachFactory(slug="timebanks", name="Timebanks"),
        ApproachFactory(slug="peer-support", name="peer support"),
        ApproachFactory(slug="arts", name="Ärts on prescription"),
    ]
    published = timezone.make_aware(datetime.datetime(2025, 1, 1, 12, 30))
    for number in range(count):
        status = Status.PUBLISHED if number % 9 else rng.choice([Status.DRAFT, Status.REVIEW])
        case = complete_case(
            scores=tuple(rng.randint(0, 3) for _ in principles),
            status=status,
            slug=f"case-{number:04d}",
            # Repeated titles: the order falls back on the id.
            title=rng.choice(TEXTS[:-1]) + f" {number % 13}" if number % 5 else "Same title",
            summary=rng.choice(TEXTS[:-1]),
            context=rng.choice(TEXTS),
            what_they_did=rng.choice(TEXTS),
            outcomes=rng.choice(TEXTS),
            lead_organisation=rng.choice(TEXTS[:-1]),
            partners=rng.choice(["", "One\nTwo", "  Spaced  \n\n=Formula partner\n", "Ünï Partners"]),
            place=rng.choice(TEXTS[:-1]),
            region=rng.choice(regions),
            setting=rng.choice(CareSetting.values),
            start_year=rng.choice([None, 1990, 2012]),
            end_year=None,
            still_running=rng.choice([None, True, False]),
            years_note=rng.choice(TEXTS),
            serves=rng.choice(TEXTS),
            website=rng.choice(["", "https://example.org/ünï"]),
            featured=rng.random() < 0.2,
            last_reviewed=rng.choice([None, datetime.date(2026, 2, 28)]),
        )
        if status == Status.PUBLISHED:
            # Some first published at the same moment (the order falls back on the id), some never stamped.
            moment = rng.choice([published, published + datetime.timedelta(days=number), None])
            CaseStudy.objects.filter(pk=case.pk).update(first_published_at=moment)
        case.conditions.set(rng.sample(conditions, rng.randint(0, 3)))
        case.approaches.set(rng.sample(approaches, rng.randint(0, 3)))
        if rng.random() < 0.3:  # no sources at all for some (the factory made one)
            case.sources.all().delete()
        for position in rng.sample(range(5), rng.randint(0, 3)):
            Source.objects.create(case_study=case, title=rng.choice(TEXTS[:-1]), publisher=rng.choice(TEXTS),
                                  year=rng.choice([None, 2001]), url=rng.choice(["", "https://example.org/s"]),
                                  position=position % 2)  # fmt: skip
        for position in rng.sample(range(5), rng.randint(0, 3)):
            OutcomeFigure.objects.create(case_study=case, statement=rng.choice(TEXTS[:-1]),
                                         evidence_type=rng.choice(EvidenceType.values),
                                         source_title=rng.choice(TEXTS[:-1]), source_url=rng.choice(["", "https://e.org/f"]),
                                         position=position % 2)  # fmt: skip
        if rng.random() < 0.1:  # a missing score, and dates of assessment that differ
            PrincipleScore.objects.filter(case_study=case, principle=rng.choice(principles)).delete()
        PrincipleScore.objects.filter(case_study=case).update(
            assessed_on=rng.choice([datetime.date(2024, 12, 31), datetime.date(2026, 1, 1)])
        )


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
    build_catalogue(60)
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
    build_catalogue(12, seed=2)
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
    principles = make_principles()
    region = RegionFactory(slug="r", name="R", code="E12000001")
    condition = ConditionFactory(slug="c", name="C")
    url = reverse(name) + "?" + query

    def grow_to(count: int) -> None:
        start = CaseStudy.objects.count()
        cases = CaseStudy.objects.bulk_create(
            CaseStudy(
                slug=f"bank-{n:04d}",
                title=f"Bank {n:04d}",
                summary="A time bank.",
                lead_organisation="O",
                place="P",
                region=region,
                setting=CareSetting.COMMUNITY,
                status=Status.PUBLISHED,
                first_published_at=timezone.now(),
                profile="222222",
            )
            for n in range(start, count)
        )  # fmt: skip  (bulk_create sends no signals: the stored profile is given, as synthetic.generate does)
        PrincipleScore.objects.bulk_create(
            PrincipleScore(case_study=c, principle=p, score=2, rationale="R.", assessed_by="T")
            for c in cases
            for p in principles
        )
        OutcomeFigure.objects.bulk_create(
            OutcomeFigure(case_study=c, statement="S", evidence_type="trial", source_title="T") for c in cases
        )
        Source.objects.bulk_create(Source(case_study=c, title="A report") for c in cases)
        CaseStudy.conditions.through.objects.bulk_create(
            CaseStudy.conditions.through(casestudy_id=c.pk, condition_id=condition.pk) for c in cases
        )

    grow_to(5)
    streamed(client.get(url))  # the first request of a process reads what later ones have cached
    with django_assert_num_queries(queries) as small:
        small_data = streamed(client.get(url))
    grow_to(450)
    with django_assert_num_queries(queries) as large:
        large_data = streamed(client.get(url))
    page = b"http://testserver/case-studies/bank-"
    assert (small_data.count(page), large_data.count(page)) == (5, 450)  # 65 chunks of 7, the same queries
    assert [q["sql"][:40] for q in small.captured_queries] == [q["sql"][:40] for q in large.captured_queries]
