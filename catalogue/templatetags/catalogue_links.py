"""Template helpers for links: only web addresses become links, and the PDF booklet's size limit."""

from __future__ import annotations

from django import template

from .. import safelinks
from ..pdf import documents

register = template.Library()
register.filter("http_url", safelinks.http_url)


@register.simple_tag
def booklet_limit() -> int:
    """The most cases one PDF booklet may hold."""
    return documents.MAX_BOOKLET_CASES
