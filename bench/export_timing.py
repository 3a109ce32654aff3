"""Time the streamed exports on an existing database, read only: median time, SQL queries, bytes and a digest.

    DATABASE_URL=postgres://... DJANGO_SETTINGS_MODULE=bench.settings \
        python -m bench.export_timing --runs 7 "/case-studies/export.csv?condition=..."

Each URL is fetched once to warm up, then --runs times through django.test.Client with the page cache off,
consuming the whole streamed body. The digest (SHA-256 of the body, with the JSON's `generated_at` time blanked)
lets two implementations be compared byte for byte on the same data. Nothing is written to the database.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from bench.measure import count_queries  # noqa: E402

GENERATED_AT = re.compile(rb'"generated_at": ?"[^"]*"')


def fetch(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} gave {response.status_code}")
    return b"".join(response.streaming_content) if response.streaming else response.content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--times", action="store_true", help="also print every run's time and its slowest query's")
    args = parser.parse_args()
    client = Client()
    with override_settings(CATALOGUE_PAGE_CACHE=False):
        for url in args.urls:
            fetch(client, url)  # warm up: imports, the taxonomies' first reads, the database's caches
            bodies: list[bytes] = []
            count = count_queries(lambda: bodies.append(fetch(client, url)))  # noqa: B023 (called at once)
            body = bodies[0]
            times, slowest = [], []
            for _ in range(args.runs):
                query_times = []

                def timer(execute, sql, params, many, context, query_times=query_times):
                    started = time.perf_counter()
                    try:
                        return execute(sql, params, many, context)
                    finally:
                        query_times.append(time.perf_counter() - started)

                started = time.perf_counter()
                with connection.execute_wrapper(timer):
                    fetch(client, url)
                times.append(time.perf_counter() - started)
                slowest.append(max(query_times))
            digest = hashlib.sha256(GENERATED_AT.sub(b'"generated_at": ""', body)).hexdigest()[:16]
            print(
                f"{url}\n  median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}, "
                f"{args.runs} runs), {count} queries, {len(body):,} bytes, sha256 {digest}, "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            if args.times:
                print(f"  times {[round(t, 3) for t in times]}\n  slowest query {[round(t, 3) for t in slowest]}")


if __name__ == "__main__":
    main()
