from __future__ import annotations

import shutil

import pytest
from django.conf import settings

from tests import builders


@pytest.fixture
def taxonomy(db) -> None:
    """The principles, five conditions, five approaches and two regions: what synthetic.generate() draws on."""
    builders.taxonomy()


@pytest.fixture
def content_copy(tmp_path):
    """A copy of the real content files, for a test to break or change."""
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target
