"""A second editor, for the four-eyes rule: whoever last changed a case cannot publish it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def second_editor(editor):
    """Another member of the Editors group."""
    other = get_user_model().objects.create_user("second-editor", password="pw", is_staff=True)
    other.groups.set(editor.groups.all())
    return other


@pytest.fixture
def second_editor_client(second_editor):
    """The second editor, signed in on a client of their own."""
    client = Client()
    client.force_login(second_editor)
    client.user = second_editor
    return client
