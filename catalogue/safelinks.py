"""Addresses: which stored ones may become links (web addresses only), and the site's own."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def http_url(value: str) -> str:
    """The address if it is an http(s) URL, else "": pages and PDFs write links only for web addresses, so a
    stored `file:`, `data:` or `javascript:` address can never become a link (or a PDF attachment)."""
    value = (value or "").strip()
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return ""
    return value if scheme in {"http", "https"} else ""


def site_address(request=None) -> str:
    """The site's address without a trailing slash: as the request reached it, else settings.SITE_URL."""
    return request.build_absolute_uri("/").rstrip("/") if request is not None else settings.SITE_URL
