"""Template tags that draw scores: the principle profile chart, the compact profile of a list item, the key to
the score colours, and SVG numbers."""

from __future__ import annotations

import functools

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from principles.models import Principle, Score

from .. import profile
from ..explore.charts import profile_chart

register = template.Library()


@register.filter(is_safe=True)
def svg_number(value, places=1) -> str:
    """A coordinate as SVG writes numbers: a point before the decimals and nothing else, whatever the locale
    (`floatformat` follows the locale's separators)."""
    return f"{float(value):.{int(places)}f}"


@register.inclusion_tag("includes/_profile_chart.html")
def principle_profile(cases, principles=None, chart_id="profile", font_family=""):
    """The principle profile chart for one case (bars) or several (a dot plot). `cases` may be one case.

    `font_family` names the font of the chart's text where the page's CSS does not reach the SVG (the PDFs);
    on web pages leave it empty and the text inherits the page's font.
    """
    if not isinstance(cases, list | tuple):
        cases = [cases]
    principles = principles if principles is not None else Principle.objects.all()
    return {"chart": profile_chart(cases, principles), "chart_id": chart_id, "font_family": font_family}


@register.simple_tag(takes_context=True)
def compact_profile(context, case) -> SafeString:
    """The compact six-square profile of `case` (includes/_profile_compact.html), drawn from its stored profile,
    so a list needs no score rows. The principles come from the page's `principles` (the views that list cases
    give them), else they are read here; each distinct profile is rendered once for any given principle names."""
    principles = context.get("principles")
    if principles is None:
        principles = context["principles"] = list(Principle.objects.all())
    names = tuple((principle.number, principle.short_name) for principle in principles)
    return _compact_profile_html(case.profile, names)


@functools.lru_cache(maxsize=4096)  # the key is everything the HTML shows, so an entry can never be stale
def _compact_profile_html(stored: str, principles: tuple[tuple[int, str], ...]) -> SafeString:
    scored = [(number, short_name, profile.score_at(stored, number)) for number, short_name in principles]
    squares = [(number, name, score, Score(score).label) for number, name, score in scored if score is not None]
    return render_to_string("includes/_profile_compact.html", {"squares": squares})


@register.inclusion_tag("includes/_scale_key.html")
def scale_key(title: str = "Key to the score colours") -> dict:
    """The catalogue's score scale (principles.models.Score) as a key: number, colour swatch and label."""
    return {"levels": list(Score), "title": title}
