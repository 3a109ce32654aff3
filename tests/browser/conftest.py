"""Browser tests: pytest-playwright's fixtures (browser, context, page) driving Debian's Chromium against
pytest-django's live_server, and axe-core as axe-playwright-python bundles it.

Nothing is downloaded: Chromium is the system's (/usr/bin/chromium, or $CHROMIUM_PATH), given to pytest-playwright
through browser_type_launch_args. Every request the browser makes to anything but the live server is refused, so
a test can never reach the network, and every page a test visits must break no rule of the Content-Security-Policy.

With CI=true a missing browser FAILS the tests; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connections

from tests.support.unavailable import unavailable

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a running
# loop unless told that this is safe. Here it is: the loop only drives the browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# axe-playwright-python injects axe-core with page.evaluate, which a strict CSP does not block (a <script> tag,
# as page.add_script_tag adds, would be refused).
AXE = Axe()


@pytest.fixture(scope="session")
def playwright(playwright):
    """pytest-playwright's Playwright. While its event loop runs in this thread, Django keeps the thread's database
    connections apart from those opened before (asgiref's Local for thread-critical data follows the loop's
    context): they are closed before the loop stops, or PostgreSQL could not drop the test database at the end."""
    yield playwright
    connections.close_all()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    """pytest-playwright's launch options (--headed, --slowmo ...) with the system's Chromium."""
    if not CHROMIUM.exists():
        unavailable(f"Chromium not found at {CHROMIUM}: apt-get install chromium (scripts/ensure-system-packages)")
    return {"headless": True, **browser_type_launch_args, "executable_path": str(CHROMIUM), "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server) -> dict:
    return {**browser_context_args, "base_url": live_server.url, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def context(context, live_server):
    """pytest-playwright's context, allowed to contact the live server only."""
    allowed = urlsplit(live_server.url).netloc

    def only_the_live_server(route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in {"data", "blob", "about"} or url.netloc == allowed:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_live_server)
    # Generous: under pytest-xdist the other worker may be rendering PDFs or bulk-loading rows on the same two
    # cores, and a slow first render of a page is not what these tests are about.
    context.set_default_timeout(60_000)
    context.set_default_navigation_timeout(60_000)
    return context


@pytest.fixture
def csp_log() -> list[str]:
    """Every Content-Security-Policy violation the test's page reports; `page` fails the test if any remain."""
    return []


@pytest.fixture
def page(page, csp_log) -> Iterator:
    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            csp_log.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    yield page
    # Every browser test also proves the pages it visited broke no rule of the Content-Security-Policy.
    assert not csp_log, "CSP violations reported in the console:\n" + "\n".join(csp_log)


@pytest.fixture
def catalogue(transactional_db) -> None:
    """The real catalogue content, loaded as `make run` loads it."""
    call_command("load_catalogue", verbosity=0)


def axe_violations(page) -> list[dict]:
    """Run axe-core on the current page for WCAG 2.0, 2.1 and 2.2 A and AA; return its violations."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return AXE.run(page, options=options).response["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in violations
    )
