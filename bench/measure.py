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
from catalogue.models import CareSetting, CaseStudy, Condition, Region  # noqa: E402
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
    filters = f"condition={condition}&region={nation.slug}&setting={CareSetting.HEALTH}&principle={principle}"
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
            rendered = timed(go, repeats)
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


# The honest analogue of the page floor (a view that renders base.html): one heading and one paragraph through the
# PDF's own base template, stylesheet, fonts, PDF/UA variant and safe fetcher (catalogue.pdf.html_to_pdf).
PDF_FLOOR_TEMPLATE = (
    '{% extends "pdf/base.html" %}{% block title %}Floor{% endblock title %}'
    "{% block content %}<h1>Floor</h1><p>One page.</p>{% endblock content %}"
)


def interleaved(runs: dict[str, tuple[Callable[[], object], Callable[[], None] | None]], repeats: int) -> dict:
    """Time each function `repeats` times, taking them in turn (a, b, c, a, b, c, ...): on a shared machine whose
    load changes, each median then comes from the same stretch of time as the others it is compared with."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, (fn, before) in runs.items():
            times[name] += timed(fn, 1, before)
    return times


def static_file_urlconf(directory: str) -> str:
    """The benchmark's URLs plus django.views.static.serve for `directory` at /bench-static-file/<path>."""
    import types

    from django.urls import path
    from django.views.static import serve

    module = types.ModuleType("bench_pdf_static_urls")
    module.urlpatterns = [
        path("bench-static-file/<path:path>", serve, {"document_root": directory}),
        *bench_urls.urlpatterns,
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def page_count(content: bytes) -> int | None:
    try:
        import io

        import pypdf
    except ImportError:  # a development dependency
        return None
    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def measure_pdfs(client: Client, repeats: int) -> list[dict]:
    """PDF rows: two floors, the first render of a case summary, its cached paths against a static file of the
    same size, and booklets of growing size (BENCH_BOOKLET_SIZES, default 10,25,50,100; BENCH_BOOKLET_RUNS
    renders of each, default 1)."""
    import tempfile

    import weasyprint
    from django.conf import settings
    from django.template import engines
    from django.test.utils import override_settings

    from catalogue.pdf import documents, render

    rows: list[dict] = []

    def row(name: str, times: list[float], compare: str, **extra) -> None:
        rows.append({"pdf": name, "times": times, "compare": compare, "load": load_average(), **extra})

    case = CaseStudy.objects.filter(is_synthetic=True).order_by("pk").first()
    url = reverse("catalogue:case-summary-pdf", kwargs={"slug": case.slug})
    go = fetch(client, url)
    floor_template = engines["django"].from_string(PDF_FLOOR_TEMPLATE)

    def bare_render():
        return weasyprint.HTML(string="<h1>Floor</h1><p>One page.</p>").write_pdf()

    def base_render():
        return render.html_to_pdf(floor_template.render({"SITE_NAME": settings.SITE_NAME}))

    bare_render(), base_render(), go()  # the first of each in a process pays one-off costs (imports, fonts)
    render_repeats = min(repeats, 10)  # each one a full render: ten are enough for a stable median
    load = load_average()
    renders = interleaved(
        {"bare": (bare_render, None), "base": (base_render, None), "first": (go, cache.clear)},
        render_repeats,
    )
    row("minimal one-page render, bare WeasyPrint: HTML(string=...).write_pdf()", renders["bare"], "floor", load=load)
    row("minimal one-page render through pdf/base.html, pdf.css, fonts, PDF/UA (html_to_pdf)", renders["base"],
        "floor", load=load)  # fmt: skip
    row("case summary, first render (empty cache)", renders["first"], "render", load=load)

    go()
    body = go().content
    size = len(body)
    bench_urls.STATIC_BODY["bytes"] = body
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as directory:
        Path(directory, "summary.pdf").write_bytes(body)
        with override_settings(ROOT_URLCONF=static_file_urlconf(directory)):
            if b"".join(client.get("/bench-static-file/summary.pdf").streaming_content) != body:
                raise RuntimeError("the static file is not the PDF")
            static_file = fetch(client, "/bench-static-file/summary.pdf")
            load = load_average()
            served = interleaved(
                {
                    "fast": (go, None),
                    "static": (static_file, None),
                    "memory": (fetch(client, reverse("bench-static")), None),
                    "refingerprint": (go, caching.bump),
                },
                repeats,
            )
    row("case summary, cached: public fast path (no query)", served["fast"], "served", load=load)
    row("case summary, cached after an edit elsewhere (new version: load + fingerprint, no render)",
        served["refingerprint"], "served", load=load)  # fmt: skip
    row(f"static file of the same size ({size:,} bytes), django.views.static.serve", served["static"], "static",
        load=load)  # fmt: skip
    row("same-size body already in memory, trivial view", served["memory"], "served", load=load)

    booklet_repeats = int(os.environ.get("BENCH_BOOKLET_RUNS", "1"))  # a 50-case render takes tens of seconds
    sizes = [int(n) for n in os.environ.get("BENCH_BOOKLET_SIZES", "10,25,50,100").split(",") if n.strip()]
    for count in sizes:
        cases = list(CaseStudy.objects.published().with_everything().order_by("pk")[:count])
        cover = documents.BookletCover(title="Benchmark booklet", filters=(f"The first {count} published cases",))
        load = load_average()
        made = []
        times = timed(lambda: made.append(documents.booklet(cases, cover)), booklet_repeats, before=cache.clear)  # noqa: B023
        pages = page_count(made[-1].content)
        row(f"booklet of {len(cases)} cases, first render", times, "booklet", load=load, pages=pages, cases=len(cases))
    return rows


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
