"""The header's search box works from every page type, without JavaScript, and passes axe; on the list it keeps
the filters chosen; results show the searched words marked."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import axe_violations
from tests.browser.test_accessibility import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def search_from_header(page, path: str, words: str) -> None:
    page.goto(path)
    box = page.get_by_role("search").get_by_label("Search case studies")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url("**/case-studies/?*")


def test_the_header_search_works_from_every_page_type(page, catalogue, subtests):
    for name, (path, _status) in PAGES.items():
        with subtests.test(page=name):
            search_from_header(page, path, "time bank")
            assert parse_qs(urlsplit(page.url).query)["q"] == ["time bank"]
            assert page.locator(".result").count() > 0
            assert page.locator(".result__snippet mark").count() > 0


def test_the_header_search_needs_no_script_and_keeps_the_filters(browser, live_server, catalogue):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        search_from_header(page, "/case-studies/?setting=community&sort=newest", "carers")
        query = parse_qs(urlsplit(page.url).query)
        assert query["q"] == ["carers"]
        assert query["setting"] == ["community"]
        assert query["sort"] == ["newest"]
    finally:
        context.close()


def test_the_search_boxes_and_a_results_page_pass_axe(page, catalogue):
    page.goto("/")
    assert page.get_by_label("Search the case studies").is_visible()
    assert axe_violations(page) == []
    page.goto("/case-studies/?q=zeppelin+dementia")
    assert page.get_by_text("Suggest a case").first.is_visible()
    assert axe_violations(page) == []
