"""SVG text in PDFs (catalogue.pdf._fix_svg_text): a plain <text> is drawn as one run, in the same place; text
that places or spaces its glyphs one by one is drawn letter by letter, as WeasyPrint does."""

from __future__ import annotations

import re
import subprocess

import pytest

from catalogue.pdf import patches
from catalogue.pdf import render as pdf_render
from tests.support.pdfread import read_pdf
from tests.support.unavailable import system_tool

SVG = (
    '<svg width="300" height="60" viewBox="0 0 300 60" xmlns="http://www.w3.org/2000/svg" font-family="{font}">'
    "{body}</svg>"
)


def render(body: str) -> bytes:
    svg = SVG.format(font=pdf_render.FONT_FAMILY, body=body)
    return pdf_render.html_to_pdf(f'<html lang="en"><head><title>t</title></head><body>{svg}</body></html>')


def text_showings(content: bytes) -> list[tuple[float, float, int]]:
    """Each text-showing operation of the PDF as (x, y, number of glyphs), the page's margin boxes included."""
    streams = read_pdf(content).decoded_streams().decode("latin-1")
    found = re.findall(r"\S+ \S+ \S+ \S+ (\S+) (\S+) Tm\n(?:\S+ \S+ Tf\n)?\[([^\]]*)\] TJ", streams)
    return [(float(x), float(y), len(re.findall(r"<[0-9a-f]+>", glyphs))) for x, y, glyphs in found]


def in_svg(content: bytes) -> list[tuple[float, float, int]]:
    """The showings placed in SVG user units (the page's own text sits hundreds of points further down)."""
    return [(x, y, glyphs) for x, y, glyphs in text_showings(content) if y <= 60]


def letter_by_letter_path(monkeypatch) -> None:
    """Put WeasyPrint's own SVG text function back (undone with `monkeypatch`)."""
    import weasyprint.svg as svg

    patches._fix_svg_text()
    fixed = svg.text
    monkeypatch.setattr(svg, "text", fixed.weasyprint_original)
    for tag, function in svg.TAGS.items():
        if function is fixed:
            monkeypatch.setitem(svg.TAGS, tag, fixed.weasyprint_original)


@pytest.fixture
def per_letter(monkeypatch):
    letter_by_letter_path(monkeypatch)


def test_the_fix_is_checked_against_the_installed_weasyprint():
    import weasyprint

    # After a WeasyPrint upgrade: compare its svg/text.py with the fix's docstring, then add the version.
    assert weasyprint.__version__ in patches.SVG_TEXT_FIX_VERSIONS
    assert patches._fix_svg_text() is True


def test_plain_text_is_drawn_in_one_run():
    assert in_svg(render('<text x="10" y="20" font-size="13">Hello world</text>')) == [(10, 20, 11)]


def test_letter_by_letter_without_the_fix(per_letter):
    showings = in_svg(render('<text x="10" y="20" font-size="13">Hello world</text>'))
    assert len(showings) == 10 and all(glyphs == 1 for *_, glyphs in showings)  # the space is laid out, not drawn


@pytest.mark.parametrize(
    "body",
    [
        '<text x="10 20 30" y="20">abc</text>',  # one x a glyph
        '<text x="10" y="20" dx="0 5 5">abc</text>',
        '<text x="10" y="20" rotate="10">abc</text>',
        '<text x="10" y="20" letter-spacing="3">abc</text>',
        '<text x="10" y="20" textLength="60">abc</text>',
        '<text x="10" y="20">a<tspan>bc</tspan></text>',  # child elements
    ],
)
def test_text_placed_or_spaced_glyph_by_glyph_is_drawn_letter_by_letter(body):
    showings = in_svg(render(body))
    assert len(showings) == 3 and all(glyphs == 1 for *_, glyphs in showings), showings


def test_glyph_positions_from_an_x_list_are_kept():
    assert [x for x, _, _ in in_svg(render('<text x="10 20 30" y="20">abc</text>'))] == [10, 20, 30]


ANCHORED = (
    '<text x="150" y="20" text-anchor="end" font-size="13">4. Blurring roles</text>'
    '<text x="150" y="40" text-anchor="middle" font-size="12">3</text>'
    '<text x="158" y="40" dy="0.35em" font-size="13">2 Clearly present</text>'
)


def word_boxes(content: bytes, tmp_path) -> list[tuple[str, float, float, float, float]]:
    pdftotext = system_tool("pdftotext", "poppler-utils")
    path = tmp_path / "svg.pdf"
    path.write_bytes(content)
    html = subprocess.run([pdftotext, "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = re.findall(r'<word xMin="(\S+)" yMin="(\S+)" xMax="(\S+)" yMax="(\S+)">([^<]*)</word>', html)
    boxes = [(word, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, word in words]
    return [box for box in boxes if box[2] < 200]  # the SVG's words, not the page's footer


def test_anchored_and_shifted_text_lands_where_the_letter_by_letter_path_puts_it(tmp_path, monkeypatch):
    one_run = word_boxes(render(ANCHORED), tmp_path)
    with monkeypatch.context() as patch:
        letter_by_letter_path(patch)
        letter_by_letter = word_boxes(render(ANCHORED), tmp_path)
    assert [box[0] for box in one_run] == [box[0] for box in letter_by_letter]
    assert [box[0] for box in one_run] == ["4.", "Blurring", "roles", "3", "2", "Clearly", "present"]
    for ours, theirs in zip(one_run, letter_by_letter, strict=True):
        # The same place to within a fraction of a point: kerning, applied in one run, moves glyphs a little.
        assert ours[1:] == pytest.approx(theirs[1:], abs=0.5), (ours, theirs)
