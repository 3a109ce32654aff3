"""The case page's "How these scores were reached" in a real browser: at 320 px nothing scrolls sideways, with
every disclosure open (the side-by-side table scrolls inside its own labelled region), and each rationale opens
without JavaScript."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from catalogue import assessing
from catalogue.models import CaseStudy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# In the real content: the editors' ratings are two or more points apart on three of its principles.
CASE = "/case-studies/shared-lives/"


def sideways_overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_nothing_scrolls_sideways_at_320px_with_every_reason_open(page, catalogue):
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.goto(CASE).status == 200
    for summary in page.locator(".assessment-reasons__details summary").all():
        summary.click()
    assert page.locator(".assessment-reasons__details[open]").count() == 6
    assert sideways_overflow(page) <= 0
    region = page.get_by_role("region", name="The agreed score and each assessment's score, one column per assessment")
    assert region.get_attribute("tabindex") == "0"
    assert page.get_by_text("Ratings two points apart").first.is_visible()


def test_a_rationale_opens_without_javascript(browser, live_server, catalogue):
    case = CaseStudy.objects.prefetch_related(assessing.assessments_prefetch()).get(slug="shared-lives")
    rationale = assessing.compare(case).principles[0].editors[0].score.rationale
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    allowed = urlsplit(live_server.url).netloc  # as conftest's context: nothing but the live server

    def only_the_live_server(route) -> None:
        if urlsplit(route.request.url).netloc == allowed:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_live_server)
    try:
        page = context.new_page()
        assert page.goto(CASE).status == 200
        first = page.locator(".assessment-reasons__details").first
        assert not first.get_by_text(rationale).is_visible()
        first.locator("summary").click()
        assert first.get_by_text(rationale).is_visible()
    finally:
        context.close()
