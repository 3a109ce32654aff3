"""Keyboard users need not tab through the list's seventy-odd filter controls to reach its results: the first stop
in the page's main content is "Skip to results", shown when focused, and following it moves focus to the results.

The way in is the one a keyboard user takes: Tab to "Skip to main content", Enter, then one Tab.
"""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST = PAGES["list with filters"][0]
FOCUSED = "() => document.activeElement && (document.activeElement.id || document.activeElement.textContent.trim())"
BOXES = """() => ['.skip-to-results', '.filter-panel'].map((selector) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    return {x: box.x, y: box.y, width: box.width};
})"""


def test_one_tab_from_the_top_of_the_content_reaches_skip_to_results(page, catalogue, subtests):
    # The real catalogue, so that the filters are all there; loaded once for both widths.
    for width in (1280, 320):
        with subtests.test(width=width):
            skip_to_results(page, width)


def skip_to_results(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    assert page.goto(LIST).status == 200
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "main"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "Skip to results"

    # Visible while focused: on screen, in the column above the filters, not off to the left as it is otherwise.
    # Both boxes in one frame: the page may still be scrolling smoothly to the focused link between two reads.
    link, panel = page.evaluate(BOXES)
    assert link["x"] >= 0 and link["width"] > 0 and link["x"] + link["width"] <= width
    assert link["y"] < panel["y"]

    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "results-heading"
    assert page.url.endswith("#results-heading")
    # The next Tab goes on from the results, past every filter.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('.catalogue__results')")


def test_skip_to_results_is_out_of_sight_until_focused(page, transactional_db):
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.goto("/case-studies/").status == 200
    link = page.locator(".skip-to-results").bounding_box()
    assert link is not None and link["x"] + link["width"] <= 0
