"""Which stored addresses may become links: web addresses only."""

from __future__ import annotations

from urllib.parse import urlsplit


def http_url(value: str) -> str:
    """The address if it is an http(s) URL, else "": pages and PDFs write links only for web addresses, so a
    stored `file:`, `data:` or `javascript:` address can never become a link (or a PDF attachment)."""
    value = (value or "").strip()
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return ""
    return value if scheme in {"http", "https"} else ""
