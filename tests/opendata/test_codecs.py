"""CSV cell codecs (catalogue/opendata/codecs.py): a cell a spreadsheet would run is neutralised, and restored
exactly."""

from __future__ import annotations

import pytest

from catalogue.opendata.codecs import neutralise, restore


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@a", "\tx", "\rx", "'x", "''x", "plain", "", "a=b"])
def test_restore_is_the_exact_inverse_of_neutralise(text):
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r"))
