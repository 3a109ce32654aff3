"""The colours of static/css/palette.css, for the SVG charts' presentation attributes.

The stylesheet is the palette's one definition. Charts write their colours as attributes as well as classes,
because WeasyPrint applies no stylesheet to inline SVG: reading the same file here keeps a PDF's chart in the
colours of the web page's.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from django.conf import settings

PALETTE_FILE = "css/palette.css"
_PROPERTY = re.compile(r"--([a-z0-9-]+)\s*:\s*(#[0-9a-fA-F]{6})\s*;")


@functools.cache
def colours() -> dict[str, str]:
    """{name: "#rrggbb"} for every custom property of the palette, "--rule-light" as "rule_light" (so templates
    can name it), read once a process."""
    text = (Path(settings.STATICFILES_DIRS[0]) / PALETTE_FILE).read_text(encoding="utf-8")
    return {name.replace("-", "_"): value.lower() for name, value in _PROPERTY.findall(text)}


def colour(name: str) -> str:
    return colours()[name.replace("-", "_")]


def score_fill(score: int | None) -> str:
    return colour(f"score-{score if score is not None else 0}")
