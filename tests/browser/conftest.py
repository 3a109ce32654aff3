"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live_server.

Nothing is downloaded: Chromium is the system's (/usr/bin/chromium, or $CHROMIUM_PATH) and axe-core comes from
node_modules, installed from package-lock.json by `npm ci` (which `make test` runs). Every request the browser
makes to anything but the live server is refused, so a test can never reach the network.

With CI=true a missing browser, Playwright or axe-core FAILS the tests; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a running
# loop unless told that this is safe. Here it is: the loop only drives the browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
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


def unavailable(reason: str) -> None:
    """Fail in CI (browser tests must always run there), skip elsewhere, saying why either way."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"Chromium not found at {CHROMIUM}: apt-get install chromium (scripts/ensure-system-packages)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed: make install")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SOURCE.exists():
        unavailable("axe-core is not installed: run `npm ci` (make test does it)")
    return AXE_SOURCE.read_text(encoding="utf-8")


@pytest.fixture
def catalogue(transactional_db) -> None:
    """The real catalogue content (37 published cases), loaded as `make run` loads it."""
    call_command("load_catalogue", verbosity=0)


@pytest.fixture
def csp_log() -> list[str]:
    """Every Content-Security-Policy violation the test's page reports; `page` fails the test if any remain."""
    return []


@pytest.fixture
def page(browser, live_server, csp_log) -> Iterator:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    allowed = urlsplit(live_server.url).netloc

    def only_the_live_server(route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in {"data", "blob", "about"} or url.netloc == allowed:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_live_server)
    page = context.new_page()
    # Generous: under pytest-xdist the other worker may be rendering PDFs or bulk-loading rows on the same two
    # cores, and a slow first render of a page is not what these tests are about.
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)

    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            csp_log.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    yield page
    context.close()
    # Every browser test also proves the pages it visited broke no rule of the Content-Security-Policy.
    assert not csp_log, "CSP violations reported in the console:\n" + "\n".join(csp_log)


def axe_violations(page, axe_source: str) -> list[dict]:
    """Run axe-core on the current page for WCAG 2.0, 2.1 and 2.2 A and AA; return its violations."""
    page.evaluate(axe_source)  # a strict CSP would block a <script> tag; evaluate is not affected
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in violations
    )
