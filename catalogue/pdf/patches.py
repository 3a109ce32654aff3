"""Version-gated fixes to WeasyPrint, each checked to give the same document, each applied only to the version
it was checked against (a test fails when WeasyPrint's version changes, so that the fix is checked again).

- SVG text in one run: WeasyPrint 70 lays out and draws every letter of an SVG <text> separately, which makes
  the principle profile chart's labels a large share of a PDF's render (docs/pdf.md). Upstream:
  https://github.com/Kozea/WeasyPrint/issues/2249
"""

from __future__ import annotations

import functools

UPSTREAM_ISSUE = "https://github.com/Kozea/WeasyPrint/issues/2249"


def apply() -> None:
    """Apply every fix that is checked for the installed WeasyPrint (once a process)."""
    _fix_svg_text()


class _OneRun(str):
    """A string that iterates as one piece: WeasyPrint's SVG text loop then lays out and draws it in one go."""

    def __iter__(self):
        yield str(self)


# Attributes that place or space glyphs one by one: text carrying any of them keeps WeasyPrint's per-letter path.
_PER_GLYPH_ATTRIBUTES = frozenset({"rotate", "letter-spacing", "textLength", "lengthAdjust"})
SVG_TEXT_FIX_VERSIONS = frozenset({"70.0"})  # the WeasyPrint versions whose svg/text.py this was checked against


def _svg_text_in_one_run(original):
    from weasyprint.svg.utils import normalize

    def text(svg, node, font_size):
        element = node._etree_node
        content = element.text
        simple = (
            node.tag == "text"
            and content
            and len(element) == 0  # no <tspan>, <a> or <textPath> inside
            and not (_PER_GLYPH_ATTRIBUTES & node.attrib.keys())
            and all(len(normalize(node.get(name, "")).split()) <= 1 for name in ("x", "y", "dx", "dy"))
        )
        if not simple:
            return original(svg, node, font_size)
        element.text = _OneRun(content)
        try:
            return original(svg, node, font_size)
        finally:
            element.text = content

    text.weasyprint_original = original
    return text


@functools.cache
def _fix_svg_text() -> bool:
    """Draw each plain SVG <text> as one run of text, not letter by letter.

    WeasyPrint 70's svg/text.py lays out and draws every letter of a <text> separately (a Pango layout, a
    shaping pass and a text-showing operation per character), so that it can honour per-glyph x, y, dx, dy and
    rotate lists, letter-spacing and textLength, which is slow for the principle profile's 16 labels. A <text>
    with none of those, no child elements and one position is passed to
    WeasyPrint's own function with its content as a string that iterates as one piece, so the same code lays it
    out, anchors it, colours it and draws it once: the same glyphs, font, position and anchoring, with the
    font's kerning applied as a browser does (letter by letter it is lost). Anything else goes the per-letter
    way, unchanged. Applied only to the WeasyPrint versions it was checked against; returns whether it is on."""
    import weasyprint
    import weasyprint.svg as svg

    if weasyprint.__version__ not in SVG_TEXT_FIX_VERSIONS:
        return False
    if hasattr(svg.text, "weasyprint_original"):
        return True
    original = svg.text
    fixed = _svg_text_in_one_run(original)
    # draw_node recognises text elements by comparing TAGS entries with the module's `text`: replace both.
    svg.text = fixed
    for tag, function in list(svg.TAGS.items()):
        if function is original:
            svg.TAGS[tag] = fixed
    return True
