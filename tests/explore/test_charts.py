"""The profile chart (catalogue/explore/charts.py and the principle_profile tag of catalogue_charts)."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.utils import translation

from tests.builders import complete_case

pytestmark = pytest.mark.django_db


def test_the_charts_coordinates_are_svg_numbers_whatever_the_locale():
    chart = engines["django"].from_string("{% load catalogue_charts %}{% principle_profile cases %}")
    one = complete_case("Rushey Green Time Bank", scores=[3, 3, 3, 2, 3, 3])
    other = complete_case("Second case", scores=[1, 2, 0, 3, 1, 2])
    for cases in ([one], [one, other]):
        with translation.override("de"):  # a locale whose decimal separator is a comma
            svg = chart.render({"cases": cases})
        numbers = re.findall(r' (?:x|y|x1|x2|y1|y2|cx|cy|r|width|height)="([^"]*)"', svg)
        assert len(numbers) > 40
        assert [n for n in numbers if not re.fullmatch(r"\d+(\.\d)?", n)] == []
