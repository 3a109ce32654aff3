"""Time the same pages with two checkouts of the project on one database, interleaved, in fresh processes.

    DATABASE_URL=sqlite:///path/bench.sqlite3 python -m bench.ab /path/to/other/checkout URL [URL ...]

Each round runs this checkout, then the other one (each with its own .venv), timing every URL over 30 requests
with the page cache off (facet counts and insights cached, as make bench's "rendered" column), against the floor
view of the same process. Fill the database first, e.g. with `manage.py load_catalogue` and
`manage.py generate_synthetic --count N`: both checkouts must be able to read its schema. make bench compares a
page with the floor of its own run; this compares two versions of the code on the same data at the same time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROUNDS = int(os.environ.get("AB_ROUNDS", "3"))
REQUESTS = 30


def measure(urls: list[str]) -> None:
    """Run inside a checkout: print `median_ms url` for each URL and the floor."""
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.test import Client, override_settings
    from django.urls import reverse

    client = Client()

    def median(url: str) -> float:
        times = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get(url)
            response.content  # noqa: B018
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    with override_settings(CATALOGUE_PAGE_CACHE=False):
        floor = reverse("bench-floor")
        for url in [floor, *urls]:
            for _ in range(3):
                if client.get(url).status_code != 200:
                    raise SystemExit(f"{url} did not answer 200")
        for url in [floor, *urls]:
            print(f"{median(url):.2f} {url}", flush=True)


def main() -> None:
    if sys.argv[1] == "--measure":
        measure(sys.argv[2:])
        return
    other, urls = Path(sys.argv[1]).resolve(), sys.argv[2:]
    here = Path(__file__).resolve().parent.parent
    results: dict[str, dict[str, list[float]]] = {"this": {}, "other": {}}
    for _ in range(ROUNDS):
        for name, root in [("this", here), ("other", other)]:
            command = [str(root / ".venv" / "bin" / "python"), str(Path(__file__).resolve()), "--measure", *urls]
            output = subprocess.run(command, cwd=root, check=True, capture_output=True, text=True).stdout  # noqa: S603
            for line in output.splitlines():
                ms, url = line.split(" ", 1)
                results[name].setdefault(url, []).append(float(ms))
    print("| page | this checkout, ms | other checkout, ms | this / other |")
    print("|---|---:|---:|---:|")
    for url, runs in results["this"].items():
        mine, theirs = statistics.median(runs), statistics.median(results["other"][url])
        print(f"| {url} | {mine:.1f} | {theirs:.1f} | {mine / theirs:.2f} |")


if __name__ == "__main__":
    main()
