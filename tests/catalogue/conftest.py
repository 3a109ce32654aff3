from __future__ import annotations

import pytest

from tests import builders


@pytest.fixture
def taxonomy(db) -> None:
    """The principles, five conditions, five approaches and two regions: what synthetic.generate() draws on."""
    builders.taxonomy()
