"""A large export streams: its memory does not grow with the number of cases.

The test builds N synthetic published cases with bulk_create (each with six scores, an outcome figure, a source
and a condition), measures with tracemalloc the peak memory allocated while the CSV and the JSON responses are
consumed chunk by chunk, first with N/10 cases and then with N, and checks that ten times the cases do not take
ten times the memory. Loading every case at once would take memory in proportion (about 24 MB at 5,000 cases
even as plain rows, hundreds of megabytes at 50,000 as model instances); a streamed export holds one chunk of
rows (opendata.snapshot.CHUNK_SIZE) at a time, about 1.5 MB at the peak.

N is 5,000 in the everyday suite (about a minute); the recorded measurement (docs/open-data.md) uses 50,000:
    EXPORT_MEMORY_CASES=50000 pytest tests/test_export_memory.py -s
"""

from __future__ import annotations

import gc
import os
import tracemalloc

import pytest
from django.urls import reverse

from catalogue.models import CareSetting, CaseStudy, Condition, OutcomeFigure, PrincipleScore, Region, Source, Status

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LARGE = int(os.environ.get("EXPORT_MEMORY_CASES", "5000"))
SMALL = LARGE // 10
TEXT = "People who use the service and professionals design and run it together, sharing power. " * 3


def add_cases(start: int, stop: int, principles, region, condition) -> None:
    """bulk_create synthetic published cases start..stop-1, each with six scores, a figure and a source."""
    for chunk_start in range(start, stop, 5_000):
        numbers = range(chunk_start, min(stop, chunk_start + 5_000))
        cases = CaseStudy.objects.bulk_create(
            CaseStudy(
                slug=f"synthetic-{n:06d}", title=f"Synthetic case {n:06d}", summary=TEXT, context=TEXT,
                what_they_did=TEXT, sharing_power=TEXT, outcomes=TEXT, lead_organisation="An organisation",
                place="A town", region=region, setting=CareSetting.COMMUNITY, status=Status.PUBLISHED,
                start_year=2010, last_reviewed="2026-01-01", first_published_at="2026-01-01T00:00Z",
            )
            for n in numbers
        )  # fmt: skip
        PrincipleScore.objects.bulk_create(
            PrincipleScore(case_study=case, principle=p, score=2, rationale="Seen in how it works.", assessed_by="T")
            for case in cases
            for p in principles
        )
        OutcomeFigure.objects.bulk_create(
            OutcomeFigure(case_study=c, statement="Admissions fell by 14%.", evidence_type="evaluation",
                          source_title="An evaluation", source_url="https://example.org/e")
            for c in cases
        )  # fmt: skip
        Source.objects.bulk_create(Source(case_study=c, title="A report", year=2015) for c in cases)
        CaseStudy.conditions.through.objects.bulk_create(
            CaseStudy.conditions.through(casestudy_id=c.pk, condition_id=condition.pk) for c in cases
        )


def measure(client, name: str) -> tuple[int, int, int]:
    """(line breaks, bytes, peak bytes allocated while streaming) for one export."""
    gc.collect()
    tracemalloc.start()
    try:
        response = client.get(reverse(name))
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")  # (the test client closes the response once it is consumed)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return lines, size, peak


def test_large_exports_do_not_load_every_case_into_memory(client, principles):
    region = Region.objects.create(slug="r", name="R", kind="english-region", code="E12000001")
    condition = Condition.objects.create(slug="c", name="C")
    names = ["catalogue:case-export-csv", "catalogue:case-export-json"]
    add_cases(0, SMALL, principles, region, condition)
    small = {name: measure(client, name) for name in names}
    add_cases(SMALL, LARGE, principles, region, condition)
    large = {name: measure(client, name) for name in names}

    assert large["catalogue:case-export-csv"][0] == LARGE + 1  # a header and one line per case
    for name in names:
        (_, small_size, small_peak), (_, large_size, large_peak) = small[name], large[name]
        print(
            f"\n{name}: {SMALL:,} cases {small_size / 1e6:.1f} MB streamed, peak {small_peak / 1e6:.2f} MB allocated; "
            f"{LARGE:,} cases {large_size / 1e6:.1f} MB streamed, peak {large_peak / 1e6:.2f} MB allocated"
        )
        assert large_size > 9 * small_size  # ten times the cases, ten times the bytes ...
        # ... but not ten times the memory. The peak is a chunk of rows and the 64 KB being sent, plus garbage the
        # collector has not reached yet, so it may differ a little between runs and databases; loading every row
        # would take ten times the memory of the smaller export (24 MB for the CSV at 5,000 cases, when tried).
        assert large_peak < small_peak * 2
        assert large_peak < 10_000_000
