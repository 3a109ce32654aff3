"""Template helpers for links: only web addresses become links, the PDF booklet's size limit, and a case's
citation (its text and its downloads)."""

from __future__ import annotations

from django import template

from .. import safelinks
from ..opendata import citations
from ..pdf import documents

register = template.Library()
register.filter("http_url", safelinks.http_url)


@register.simple_tag
def booklet_limit() -> int:
    """The most cases one PDF booklet may hold."""
    return documents.MAX_BOOKLET_CASES


@register.filter
def citation_text(case) -> str:
    """The case's citation as APA-style text: the case page and the PDFs show the same line."""
    return citations.apa(citations.citation(case))


@register.simple_tag
def citation_formats() -> list[tuple[str, str]]:
    """(format in the download's address, its name) for every citation download."""
    return [(fmt, name) for fmt, (_write, _type, name) in citations.FORMATS.items()]
