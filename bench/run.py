"""`make bench`: every page against the floor, on SQLite and PostgreSQL, at growing catalogue sizes.

Environment (all optional):
  BENCH_SIZES      comma-separated case counts (default 1000,10000,100000; e.g. BENCH_SIZES=1000 for a quick run)
  BENCH_DATABASES  sqlite,postgresql (default both)
  BENCH_REQUESTS   timed requests per page (default 30, the minimum the figures are meaningful with)
  BENCH_PDF_SIZES  sizes at which PDFs are measured (default: the smallest size)
  DATABASE_URL     a PostgreSQL database to use (it is filled with synthetic cases!); without it a throwaway
                   cluster is started and removed, as .ci/run does

Each database is measured in its own process (bench/measure.py) on a fresh database; results go to
bench/results/<date>-<host>.md and the terminal.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_postgresql():
    """A trust-auth PostgreSQL cluster on a free port of 127.0.0.1, removed afterwards."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bins:
        raise SystemExit("PostgreSQL server binaries not found under /usr/lib/postgresql (set DATABASE_URL).")
    pg_bin = bins[-1]
    directory = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    root = os.getuid() == 0
    if root:
        shutil.chown(directory, "postgres")

    def as_postgres(command: str) -> None:
        args = ["su", "postgres", "-s", "/bin/sh", "-c", command] if root else ["sh", "-c", command]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)  # noqa: S603

    port = free_port()
    data = directory / "data"
    as_postgres(f"{pg_bin}/initdb -D {data} -A trust -U postgres -E UTF8 --locale=C.UTF-8")
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=256MB"
    as_postgres(f"{pg_bin}/pg_ctl -D {data} -o '{options}' -l {directory}/log -w start")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        as_postgres(f"{pg_bin}/pg_ctl -D {data} -m fast -w stop")
        shutil.rmtree(directory, ignore_errors=True)


def measure(database_url: str, sizes: str, requests: int, pdf_sizes: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        env.pop("DJANGO_CACHE_URL", None)  # the benchmark measures one process with its own memory cache
        command = [sys.executable, "-m", "bench.measure", "--sizes", sizes, "--requests", str(requests)]
        command += ["--out", out.name, "--pdf-sizes", pdf_sizes]
        subprocess.run(command, check=True, cwd=ROOT, env=env)  # noqa: S603
        return json.loads(Path(out.name).read_text())


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    system = f"{platform.platform()}, Python {platform.python_version()}"
    return f"{platform.node()}: {os.cpu_count()} CPUs ({cpu}){memory}, {system}"


def ms(value: float) -> str:
    return f"{value:,.1f}"


def pdf_table(items: list[dict]) -> list[str]:
    """The PDF rows: each render against both floors (the bare WeasyPrint render and the same page through the
    PDF's own base template, stylesheet and fonts), each cached path against a static file of the same size."""
    floors = [statistics.median(item["times"]) for item in items if item.get("compare") == "floor" and item["times"]]
    bare, base = [*floors, None, None][:2]
    static = next((statistics.median(i["times"]) for i in items if i.get("compare") == "static" and i["times"]), None)
    lines = [
        "",
        "PDFs: server time (ms) through the test client for requests, of the call for the floors and booklets. "
        "Renders and floors are timed in turn (one of each, then again), as are the cached paths and the static "
        "file, so each ratio compares the same stretch of time; **load** is the 1-minute load average then.",
        "",
        "| PDF | runs | median ms | p95 ms | load | x bare render | x base.html render | x static file |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def ratio(value: float, floor: float | None) -> str:
        return f"{value / floor:,.2f}" if floor else ""

    for item in items:
        times = sorted(item["times"])
        if not times:
            continue
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        median = statistics.median(times)
        compare = item.get("compare", "render")
        name = item["pdf"]
        if compare == "booklet":
            pages = f"{item['pages']} pages, " if item.get("pages") else ""
            name += f" ({pages}{median / item['cases']:,.0f} ms a case)"
        by_render = compare in {"floor", "render"}
        lines.append(
            f"| {name} | {len(times)} | {ms(median)} | {ms(p95)} | {item.get('load', '')} | "
            f"{ratio(median, bare) if by_render else ''} | {ratio(median, base) if by_render else ''} | "
            f"{ratio(median, static) if compare in {'served', 'static'} else ''} |"
        )
    return lines


def report(runs: list[dict], requests: int) -> str:
    lines = [
        f"# Benchmark, {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        f"Machine: {machine()}.",
        "",
        f"Server time through Django's test client (bench/settings.py: the base settings with DEBUG off and the "
        "benchmark's floor views, local memory cache). "
        f"**Warm**: median and 95th percentile of {requests} requests for a URL already served since the last "
        "edit (the whole page comes from the cache; what most visitors get), and the SQL queries of one. "
        "**x floor**: the warm median divided by the floor's (a view that renders base.html and nothing else). "
        f"**Rendered**: median and 95th percentile of {requests} renderings of the same page with the page "
        "cache off but facet counts and insights cached (what a page costs whose whole HTML is not cached but "
        "whose counts are, such as the next page or another sort order of a filtered list), with its queries "
        "and its ratio to the floor. **Cold**: the first request on an empty cache (the first visitor after an "
        "edit, or a combination of filters nobody has asked for since).",
    ]
    for run in runs:
        for entry in run["sizes"]:
            floor = next(p["median_ms"] for p in entry["pages"] if p["page"] == "floor")
            lines += [
                "",
                f"## {run['vendor']}, {entry['size']:,} published cases",
                "",
                "| page | warm median ms | warm p95 ms | queries | x floor | rendered median ms | rendered p95 ms "
                "| rendered queries | rendered x floor | cold ms |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for p in entry["pages"]:
                lines.append(
                    f"| {p['page']} | {ms(p['median_ms'])} | {ms(p['p95_ms'])} | {p['queries']} | "
                    f"{p['median_ms'] / floor:,.1f} | {ms(p['rendered_median_ms'])} | {ms(p['rendered_p95_ms'])} | "
                    f"{p['rendered_queries']} | {p['rendered_median_ms'] / floor:,.1f} | {ms(p['cold_ms'])} |"
                )
            if entry["pdfs"]:
                lines += pdf_table(entry["pdfs"])
            if entry["explain"]:
                lines += ["", "Query plan of the search (`q=timebank loneliness`, first page):", "", "```"]
                lines += [entry["explain"], "```"]
    return "\n".join(lines) + "\n"


def main() -> None:
    sizes = os.environ.get("BENCH_SIZES", "1000,10000,100000")
    databases = [d.strip() for d in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",") if d.strip()]
    requests = int(os.environ.get("BENCH_REQUESTS", "30"))
    pdf_sizes = os.environ.get("BENCH_PDF_SIZES", "")
    runs = []
    for database in databases:
        print(f"==> {database} at {sizes} cases", flush=True)
        if database == "sqlite":
            with tempfile.TemporaryDirectory(prefix="bench-sqlite-") as directory:
                runs.append(measure(f"sqlite:///{directory}/bench.sqlite3", sizes, requests, pdf_sizes))
        elif database == "postgresql":
            if os.environ.get("DATABASE_URL", "").startswith("postgres"):
                runs.append(measure(os.environ["DATABASE_URL"], sizes, requests, pdf_sizes))
            else:
                with throwaway_postgresql() as url:
                    runs.append(measure(url, sizes, requests, pdf_sizes))
        else:
            raise SystemExit(f"BENCH_DATABASES: unknown database {database!r} (sqlite or postgresql)")
    text = report(runs, requests)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{datetime.date.today():%Y-%m-%d}-{platform.node()}-{sizes.replace(',', '-')}.md"
    path.write_text(text)
    print(text)
    print(f"Written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
