"""Suggesting a case in a real browser without JavaScript, under the site's CSP; axe finds nothing on the form
(empty and with problems) or on the thanks page, and none of them scrolls sideways at 320 px."""

from __future__ import annotations

import pytest

from catalogue.models import Suggestion
from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_script_page(browser, browser_context_args, csp_log):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.on(
        "console", lambda message: csp_log.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert csp_log == []


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_suggest_a_case_without_javascript(no_script_page, settings):
    settings.PARTICIPATION_MIN_SECONDS = 0
    page = no_script_page
    page.goto("/suggest/")
    page.get_by_label("Name of the case").fill("Hillside Time Bank")
    page.get_by_label("Organisation that runs it").fill("Hillside Community Trust")
    page.get_by_label("Place").fill("Leeds")
    page.get_by_label("What it does").fill("Neighbours trade hours of help.")
    page.get_by_role("button", name="Send the suggestion").click()
    suggestion = Suggestion.objects.get()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thank you")
    assert suggestion.reference in page.locator(".reference").inner_text()


def test_the_form_and_the_thanks_page_pass_axe_and_fit_a_phone(page, settings):
    settings.PARTICIPATION_MIN_SECONDS = 0
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/suggest/")
    assert axe_violations(page) == [], describe(axe_violations(page))
    assert not scrolls_sideways(page)
    page.get_by_label("Website").fill("ftp://not-the-web.example/")
    page.get_by_role("button", name="Send the suggestion").click()
    assert page.locator(".form-problems").is_visible()
    assert axe_violations(page) == [], describe(axe_violations(page))
    assert not scrolls_sideways(page)
    page.get_by_label("Name of the case").fill("Hillside Time Bank")
    page.get_by_label("Organisation that runs it").fill("Hillside Community Trust")
    page.get_by_label("Place").fill("Leeds")
    page.get_by_label("What it does").fill("Neighbours trade hours of help.")
    page.get_by_label("Website").fill("https://hillside.example/")
    page.get_by_role("button", name="Send the suggestion").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thank you")
    assert axe_violations(page) == [], describe(axe_violations(page))
    assert not scrolls_sideways(page)
