from __future__ import annotations

import pytest

from catalogue.pdf import documents


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The HTML of every PDF actually rendered (not served from the cache)."""
    rendered = []
    original = documents.html_to_pdf

    def counting(html, fetcher=None):
        rendered.append(html)
        return original(html, fetcher)

    monkeypatch.setattr(documents, "html_to_pdf", counting)
    return rendered
