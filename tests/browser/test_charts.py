"""The profile chart's words, measured where they are drawn: each value label sits clear of every bar, gridline
and the chart's own edge, for every score on the scale (the label of a 2 once ran into the line of 3)."""

from __future__ import annotations

import pytest

from tests.builders import complete_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every box in the chart's own units (its viewBox): getBBox is measured before the SVG is scaled to the page.
BOXES = """() => {
    const svg = document.querySelector('svg.profile-chart');
    const box = (element) => { const b = element.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
    return {
        width: svg.viewBox.baseVal.width,
        values: [...svg.querySelectorAll('.profile-chart__value')].map(box),
        bars: [...svg.querySelectorAll('.profile-chart__bar')].map(box),
        grid: [...svg.querySelectorAll('.profile-chart__grid')].map(box),
    };
}"""


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width", [1280, 320])
def test_value_labels_never_touch_a_bar_a_gridline_or_the_edge(page, width):
    case = complete_case("Every level", scores=(3, 2, 1, 0, 3, 2))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(case.get_absolute_url())
    boxes = page.evaluate(BOXES)
    assert len(boxes["values"]) == 6 and len(boxes["bars"]) == 5  # a 0 draws no bar
    for label in boxes["values"]:
        assert label[0] >= 0 and label[2] <= boxes["width"], label
        for shape in boxes["bars"] + boxes["grid"]:
            assert not overlaps(label, shape), (label, shape)
    rightmost_bar = max(bar[2] for bar in boxes["bars"])
    assert min(label[0] for label in boxes["values"]) > rightmost_bar
