"""/healthz (catalogue/views/data.py): 200 when the database answers (saying "degraded" when the shared cache is
unavailable), 503 revealing nothing when the database does not."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable_and_reveals_nothing(client, settings):
    from django.db import connection

    with mock.patch.object(connection, "cursor", side_effect=OperationalError("password=hunter2 host=db.internal")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable", "cache": "ok"}
    body = response.content.decode()
    assert "hunter2" not in body and "internal" not in body
    assert settings.DATABASES["default"]["NAME"] not in body


def test_healthz_is_200_degraded_when_the_cache_is_unavailable(client, settings):
    """The site still serves without its cache (catalogue/cache_backend.py), so the instance stays in the pool;
    the status says what is wrong."""
    from tests.support.flaky_cache import FlakyCache

    settings.CACHES = {"default": {"BACKEND": "tests.support.flaky_cache.FlakyCache"}}
    FlakyCache.broken = True
    try:
        response = client.get("/healthz")
    finally:
        FlakyCache.broken = False
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}
    assert client.get("/healthz").json()["status"] == "ok"  # it answers again
