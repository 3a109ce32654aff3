"""The profile chart (catalogue/explore/charts.py and the principle_profile tag of catalogue_charts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation

from catalogue.explore import charts, palette
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


# --- one palette -----------------------------------------------------------------------------------------------

STATIC = Path(settings.STATICFILES_DIRS[0])
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b")


def test_every_colour_of_the_site_the_pdfs_and_the_charts_is_named_in_the_palette_only():
    """Colours are custom properties of static/css/palette.css; stylesheets, chart templates and chart code use
    those names, so a colour is changed in one place (the chart and the PDF read the same values)."""
    stylesheets = [*(STATIC / "css").glob("*.css"), STATIC / "pdf" / "pdf.css"]
    chart_sources = [Path(settings.BASE_DIR) / "templates" / "includes" / "_profile_chart.html", Path(charts.__file__)]
    literal = {str(p): COLOUR.findall(p.read_text()) for p in [*stylesheets, *chart_sources] if p.name != "palette.css"}
    assert {path: found for path, found in literal.items() if found} == {}
    assert '@import url("../css/palette.css");' in (STATIC / "pdf" / "pdf.css").read_text()


def test_the_chart_is_drawn_in_the_palettes_colours():
    case = complete_case("One case", scores=[0, 1, 2, 3, 2, 1])
    svg = (
        engines["django"].from_string("{% load catalogue_charts %}{% principle_profile case %}").render({"case": case})
    )
    css = (STATIC / "css" / "palette.css").read_text()
    for level in (1, 2, 3):
        value = re.search(rf"--score-{level}:\s*(#[0-9a-f]{{6}})", css).group(1)
        assert f'class="profile-chart__bar score-{level}"' in svg
        assert re.search(rf'score-{level}"[^>]*fill="{value}"', svg), level
    assert f'fill="{palette.colour("ink")}"' in svg


def test_every_colour_a_stylesheet_uses_is_defined_and_every_page_loads_the_palette_first():
    palette_css = (STATIC / "css" / "palette.css").read_text()
    defined = set(re.findall(r"(--[a-z0-9-]+)\s*:", palette_css))
    for sheet in [*(STATIC / "css").glob("*.css"), STATIC / "pdf" / "pdf.css"]:
        text = sheet.read_text()
        own = set(re.findall(r"(--[a-z0-9-]+)\s*:", text)) | {"--site-url"}  # --site-url: set by base.html
        assert set(re.findall(r"var\((--[a-z0-9-]+)", text)) - defined - own == set(), sheet.name
    for name in ["base.html", "error_frame.html"]:
        html = (Path(settings.BASE_DIR) / "templates" / name).read_text()
        assert 0 <= html.index("css/palette.css") < html.index("css/site.css"), name
