"""/assessments/ on a phone: its tables scroll inside their own labelled regions, so the page itself never
scrolls sideways at 320 px."""

from __future__ import annotations

import pytest

from tests.builders import assess, complete_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_does_not_scroll_sideways_at_320px(page):
    ratings = [("First scheme", (3, 3, 2, 2, 1, 0), (2, 3, 1, 2, 1, 0)), ("Second scheme", (3,) * 6, (1,) * 6)]
    for title, first, second in ratings:
        case = complete_case(title=title)
        assess(case, first, label="Editor A")
        assess(case, second, label="Editor B")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.goto("/assessments/").status == 200
    assert page.locator(".confusion-table").count() == 7
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
