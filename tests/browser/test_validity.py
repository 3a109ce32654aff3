"""Every page type is valid HTML by the Nu HTML Checker (the W3C's validator, run here on files, never over the
network): the accessibility statement says the catalogue is built on valid markup, and this keeps that true.

The pages are the PAGES table of the accessibility audit, fetched as served (the markup the checker reads is what
the server sends, before any script runs), all checked in one run of the checker.
"""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import PAGES
from tests.support.vnu import errors

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.slow
def test_every_page_type_is_valid_html(client, catalogue, subtests):
    documents = {}
    for name, (path, status) in PAGES.items():
        response = client.get(path)
        assert response.status_code == status, f"{name} ({path})"
        documents[name] = response.content
    found = errors(documents)
    for name, (path, _status) in PAGES.items():
        with subtests.test(msg=name, path=path):
            assert found[name] == [], f"{name} ({path}): {len(found[name])} errors\n" + "\n".join(found[name])
    assert set(found) == set(PAGES), f"messages for no known page: {found}"


def test_the_checker_fails_on_invalid_markup():
    """Proof that the check can fail: a valid page passes and the same page with a role on a table row does not."""
    page = '<!doctype html><html lang="en"><title>t</title><table><tr{}><td>x</td></tr></table></html>'
    found = errors({"valid": page.format(""), "invalid": page.format(' role="row"')})
    assert found["valid"] == []
    assert len(found["invalid"]) == 1
    assert "“role” attribute must not be used on a “tr” element" in found["invalid"][0]
