"""No page type scrolls sideways on a 320 px screen (WCAG 1.4.10 Reflow: 320 CSS pixels is 1280 at 400% zoom).
A wide chart or table may scroll inside its own labelled, focusable region; the page itself never does.

The pages are the PAGES table of the accessibility audit; a failure names the elements that stick out, so the
cause is plain without opening a browser.
"""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320

# The outermost elements whose right edge passes the viewport's, skipping those that a region scrolling sideways
# clips. An absolutely positioned element is clipped only by a region at or above its containing block (the
# nearest positioned ancestor): visually hidden text escapes a region that is not positioned.
STICKING_OUT = """(width) => {
    const out = [];
    for (const element of document.body.querySelectorAll('*')) {
        const box = element.getBoundingClientRect();
        if (box.right <= width + 0.5 || box.width === 0) continue;
        let parent = element.parentElement, inside = false;
        let escapes = ['absolute', 'fixed'].includes(getComputedStyle(element).position);
        while (parent && parent !== document.body && !inside) {
            const style = getComputedStyle(parent);
            if (style.position !== 'static') escapes = false;
            const clips = ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX);
            inside = out.includes(parent) || (clips && !escapes);
            parent = parent.parentElement;
        }
        if (!inside) out.push(element);
    }
    return out.slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ` +
        `right=${Math.round(e.getBoundingClientRect().right)}`);
}"""


@pytest.mark.slow
def test_no_page_type_scrolls_sideways_at_320px(page, catalogue, subtests):
    page.set_viewport_size({"width": WIDTH, "height": 800})
    for name, (path, status) in PAGES.items():
        with subtests.test(msg=name, path=path):
            assert page.goto(path).status == status
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= WIDTH, f"{name} ({path}) is {width} px wide: {page.evaluate(STICKING_OUT, WIDTH)}"


def test_the_check_notices_a_page_that_scrolls_sideways(page, transactional_db):
    """Proof that the check can fail: the same page fits, then does not once a too-wide block is added."""
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto("/about/")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.evaluate(
        """() => {
            const block = document.createElement('div');
            block.className = 'too-wide';
            block.style.width = '480px';
            block.style.height = '1px';
            document.querySelector('main').appendChild(block);
        }"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") > WIDTH
    assert any(found.startswith("div.too-wide") for found in page.evaluate(STICKING_OUT, WIDTH))
