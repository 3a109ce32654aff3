"""Template helpers for the principle, compare and insights pages."""

from __future__ import annotations

from django import template

from principles.models import Score

register = template.Library()


@register.inclusion_tag("explore/_scale_key.html")
def scale_key(title: str = "Key to the score colours") -> dict:
    """The catalogue's score scale (from principles.models.Score) as a key: number, colour swatch and label."""
    return {"levels": list(Score), "title": title}
