"""Measure one database at growing sizes; run by bench/run.py in its own process (one DATABASE_URL each).

    DATABASE_URL=... python -m bench.measure --sizes 1000,10000 --requests 30 --out results.json

For each size it tops the catalogue up with synthetic cases (the real ones from fixtures/ plus synthetic ones
to make the size), then times every page through Django's test client: the first request with an empty cache
("cold"), then --requests more (median and 95th percentile of the server time), and counts the SQL queries of
one warm request. It writes the figures as JSON for run.py to tabulate.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench import urls as bench_urls  # noqa: E402
from catalogue import caching, synthetic  # noqa: E402
from catalogue.models import CaseStudy, Condition, Region, Setting  # noqa: E402
from principles.models import Principle  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def timed(fn: Callable[[], object], repeats: int, before: Callable[[], None] | None = None) -> list[float]:
    times = []
    for _ in range(repeats):
        if before:
            before()
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def count_queries(fn: Callable[[], object]) -> int:
    """SQL statements run by fn() (an execute wrapper: the query log is reset at each request's start)."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        fn()
    return count


def fetch(client: Client, url: str) -> Callable[[], object]:
    def go():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} gave {response.status_code}")
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        else:
            response.content  # noqa: B018
        return response

    return go


def grow_to(size: int) -> None:
    total = CaseStudy.objects.published().count()
    if total >= size:
        return
    step = 0
    while synthetic.existing(step):
        step += 1

    def progress(done: int, count: int) -> None:
        if done == count or done % 20000 == 0:
            print(f"    {done:,} / {count:,} synthetic cases", flush=True)

    synthetic.generate(size - total, seed=step, progress=progress)


def pages() -> dict[str, str]:
    condition = Condition.objects.order_by("pk").first().slug
    region = Region.objects.filter(parent__isnull=True).order_by("position").first()
    nation = Region.objects.filter(parent=region).order_by("position").first() or region
    principle = Principle.objects.order_by("number").first().slug
    synthetic_cases = CaseStudy.objects.filter(is_synthetic=True).order_by("pk")
    count = synthetic_cases.count()
    middle = synthetic_cases[count // 2 : count // 2 + 4]
    slugs = [c.slug for c in middle]
    listing = reverse("catalogue:case-list")
    filters = f"condition={condition}&region={nation.slug}&setting={Setting.HEALTH}&principle={principle}"
    compare = reverse("catalogue:compare") + "?" + "&".join(f"case={s}" for s in slugs)
    return {
        "floor": reverse("bench-floor"),
        "list": listing,
        "list, 3 filters + principle": f"{listing}?{filters}",
        "list, search": f"{listing}?q=timebank+loneliness",
        "case page": reverse("catalogue:case-detail", kwargs={"slug": slugs[0]}),
        "compare 4": compare,
        "insights": reverse("catalogue:insights"),
        "CSV export (3 filters + principle)": reverse("catalogue:case-export-csv") + "?" + filters,
        "API list": reverse("api:case-list"),
    }


def measure_pages(client: Client, repeats: int) -> list[dict]:
    """Per page: the first request on an empty cache (cold: what the first visitor after an edit waits), the
    queries and times of warm requests (what everyone else gets until the next edit), and, with the page cache
    off but the facet counts and insights cached, the time to render the page again (a URL nobody asked for
    since the last edit, e.g. a new combination of filters, costs between this and cold)."""
    rows = []
    rendered_repeats = max(5, repeats // 3)  # renders are slow at 100,000 cases; a third is enough for a median
    for name, url in pages().items():
        cache.clear()
        go = fetch(client, url)
        started = time.perf_counter()
        go()
        cold = (time.perf_counter() - started) * 1000
        queries = count_queries(go)
        times = timed(go, repeats)
        with override_settings(CATALOGUE_PAGE_CACHE=False):
            rendered_queries = count_queries(go)
            rendered = timed(go, rendered_repeats)
        rows.append(
            {
                "page": name,
                "url": url,
                "cold_ms": cold,
                "median_ms": statistics.median(times),
                "p95_ms": percentile(times, 0.95),
                "queries": queries,
                "rendered_median_ms": statistics.median(rendered),
                "rendered_p95_ms": percentile(rendered, 0.95),
                "rendered_queries": rendered_queries,
            }
        )
    return rows


def measure_pdfs(client: Client, repeats: int) -> list[dict]:
    import weasyprint

    from catalogue import pdf

    case = CaseStudy.objects.filter(is_synthetic=True).order_by("pk").first()
    url = reverse("catalogue:case-summary-pdf", kwargs={"slug": case.slug})
    go = fetch(client, url)
    minimal = timed(lambda: weasyprint.HTML(string="<h1>Floor</h1><p>One page.</p>").write_pdf(), repeats)
    render_repeats = min(repeats, 10)  # each one a full render: ten are enough for a stable median
    first = timed(go, render_repeats, before=cache.clear)
    go()
    cached = timed(go, repeats)
    bench_urls.STATIC_BODY["bytes"] = go().content
    static = timed(fetch(client, reverse("bench-static")), repeats)
    cases = list(pdf.for_pdf(CaseStudy.objects.published().order_by("pk")[:50]))
    cover = pdf.BookletCover(title="Benchmark booklet", filters=("The first 50 published cases",))
    booklet_repeats = int(os.environ.get("BENCH_BOOKLET_RUNS", "1"))  # a 50-case render takes tens of seconds
    booklet = timed(lambda: pdf.booklet(cases, cover), booklet_repeats, before=cache.clear)
    size = len(bench_urls.STATIC_BODY["bytes"])
    return [
        {"pdf": "minimal one-page WeasyPrint render", "times": minimal},
        {"pdf": "case summary, first render", "times": first},
        {"pdf": "case summary, cached", "times": cached},
        {"pdf": f"same-size static body ({size:,} bytes)", "times": static},
        {"pdf": "booklet of 50 cases, first render", "times": booklet},
    ]


def explain_search() -> str:
    if connection.vendor != "postgresql":
        return ""
    from catalogue.filters import CaseStudyFilter

    queryset = CaseStudyFilter({"q": "timebank loneliness"}).qs.for_listing()[:20]
    return queryset.explain(analyze=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", required=True)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--out", required=True)
    parser.add_argument("--pdf-sizes", default="", help="Sizes at which to measure PDFs (default: the smallest).")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    pdf_sizes = {int(s) for s in args.pdf_sizes.split(",") if s.strip()} or {sizes[0]}

    print(f"  {connection.vendor}: migrating and loading the catalogue", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load_catalogue", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    results = {"vendor": connection.vendor, "sizes": []}
    for size in sizes:
        print(f"  {connection.vendor}: growing to {size:,} cases", flush=True)
        started = time.perf_counter()
        grow_to(size)
        print(f"    ready in {time.perf_counter() - started:.0f} s; measuring", flush=True)
        caching.bump()
        entry = {
            "size": CaseStudy.objects.published().count(),
            "pages": measure_pages(client, args.requests),
            "pdfs": measure_pdfs(client, args.requests) if size in pdf_sizes else [],
            "explain": explain_search() if size == sizes[-1] else "",
        }
        results["sizes"].append(entry)
        Path(args.out).write_text(json.dumps(results, indent=1))
    print(f"  {connection.vendor}: done", flush=True)


if __name__ == "__main__":
    main()
