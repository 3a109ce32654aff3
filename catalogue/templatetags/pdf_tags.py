"""Template helpers for the PDF summaries and the links to them."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

from .. import pdf

register = template.Library()


@register.filter
def http_url(value: str) -> str:
    """The address if it is an http(s) URL, else "": PDF templates write links only for web addresses, so a
    stored `file:` or `javascript:` address can never become a link (or an attachment) in a PDF."""
    value = (value or "").strip()
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return ""
    return value if scheme in {"http", "https"} else ""


@register.simple_tag
def booklet_limit() -> int:
    """The most cases one PDF booklet may hold."""
    return pdf.MAX_BOOKLET_CASES
