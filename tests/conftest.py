"""Fixtures shared by every part of the suite. Test data comes from tests/builders.py; a fixture used by one
package only lives in that package's conftest.py (tests/pdf/conftest.py, tests/browser/conftest.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache

from catalogue.permissions import EDITORS_GROUP, ensure_editors_group
from tests import builders


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, the cache is not."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def principles(db):
    """The six principles, in order."""
    return builders.make_principles()


@pytest.fixture
def world(db) -> builders.World:
    """The small hand-made catalogue of builders.world(), whose every count is worked out in its docstring."""
    return builders.world()


@pytest.fixture
def editor(db):
    """A staff member of the Editors group, with no permissions of their own."""
    ensure_editors_group()
    user = get_user_model().objects.create_user("editor", password="editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
