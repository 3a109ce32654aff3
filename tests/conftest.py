from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache

from catalogue.pdf import documents
from catalogue.permissions import EDITORS_GROUP, ensure_editors_group

from .factories import make_principles


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, the cache is not."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def principles(db):
    return make_principles()


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
