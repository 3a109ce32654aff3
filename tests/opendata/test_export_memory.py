"""A large export streams: its memory does not grow with the number of cases.

The test builds N synthetic published cases with bulk_create (each with six scores, an outcome figure, a source
and a condition), measures with tracemalloc the peak memory allocated while the CSV, the JSON and the assessments
responses are consumed chunk by chunk, first with N/10 cases and then with N, and checks that ten times the cases
do not take ten times the memory. Loading every case at once would take memory in proportion (about 24 MB at 5,000 cases
even as plain rows, hundreds of megabytes at 50,000 as model instances); a streamed export holds one chunk of
rows (opendata.snapshot.CHUNK_SIZE) at a time, about 1.5 MB at the peak.

N is 5,000 in the everyday suite (about a minute); the recorded measurement (docs/open-data.md) uses 50,000:
    EXPORT_MEMORY_CASES=50000 pytest tests/opendata/test_export_memory.py -s
"""

from __future__ import annotations

import gc
import os
import tracemalloc

import pytest
from django.urls import reverse

from catalogue.models import Condition, Region
from tests.builders import bulk_cases

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LARGE = int(os.environ.get("EXPORT_MEMORY_CASES", "5000"))
SMALL = LARGE // 10
TEXT = "People who use the service and professionals design and run it together, sharing power. " * 3


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


def test_large_exports_do_not_load_every_case_into_memory(client):
    region = Region.objects.create(slug="r", name="R", kind="english-region", code="E12000001")
    condition = Condition.objects.create(slug="c", name="C")
    names = ["catalogue:case-export-csv", "catalogue:case-export-json", "catalogue:case-assessments-csv"]
    bulk_cases(range(SMALL), region=region, condition=condition, text=TEXT)
    small = {name: measure(client, name) for name in names}
    bulk_cases(range(SMALL, LARGE), region=region, condition=condition, text=TEXT)
    large = {name: measure(client, name) for name in names}

    assert large["catalogue:case-export-csv"][0] == LARGE + 1  # a header and one line per case
    assert large["catalogue:case-assessments-csv"][0] == 6 * LARGE + 1  # and one per agreed score
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
