"""The shared cache fails open (catalogue/cache_backend.py): with Redis gone, reads miss, writes and deletes are
skipped, the outage is logged once, /healthz says so, and when it answers again the catalogue version is
replaced (an edit's new version may have been among the skipped writes)."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from catalogue import caching
from catalogue.cache_backend import FailOpenRedisCache, cache_state
from config.settings.base import cache_from_url
from tests.support.flaky_cache import FlakyCache

# Nothing listens there (a closed port on this machine): every call is refused at once.
CLOSED_REDIS = "redis://127.0.0.1:6399/0"


def closed_redis() -> FailOpenRedisCache:
    entry = cache_from_url(CLOSED_REDIS)
    assert entry["BACKEND"] == "catalogue.cache_backend.FailOpenRedisCache"
    return FailOpenRedisCache(entry["LOCATION"], {"OPTIONS": entry["OPTIONS"]})


@pytest.fixture
def flaky(settings):
    settings.CACHES = {"default": {"BACKEND": "tests.support.flaky_cache.FlakyCache"}}
    FlakyCache.broken = False
    yield caches["default"]
    FlakyCache.broken = False


def test_every_operation_on_a_redis_that_is_down_fails_open_and_is_logged_once(caplog):
    caplog.set_level(logging.WARNING, logger="catalogue.cache_backend")
    cache = closed_redis()
    cache.RETRY_SECONDS = 0  # try the server on every call, so each of these really reaches the closed port
    assert cache.get("k") is None and cache.get("k", "fallback") == "fallback"
    assert cache.set("k", "v") is None
    assert cache.add("k", "v") is False
    assert cache.delete("k") is False
    assert cache.touch("k") is False
    assert cache.has_key("k") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys not stored, as Django's API says
    assert cache.delete_many(["a"]) is None
    assert cache.get_or_set("k", "computed") == "computed"
    assert cache.clear() is None
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")
    warnings = [r.getMessage() for r in caplog.records if r.name == "catalogue.cache_backend"]
    assert len(warnings) == 1, warnings
    assert "unavailable" in warnings[0] and "ConnectionError" in warnings[0]
    assert cache.is_down
    assert cache.available() is False
    assert cache_state(cache) == "unavailable"


def test_after_a_failure_the_server_is_left_alone_for_a_while(monkeypatch):
    cache = closed_redis()
    assert cache.get("k", "miss") == "miss"
    assert cache.is_down
    # Within the retry delay no call reaches redis-py: a hanging server costs one timeout, not one per call.
    monkeypatch.setattr(RedisCache, "get", lambda *args, **kwargs: pytest.fail("the server was called"))
    assert cache.get("k", "miss") == "miss"


@pytest.mark.django_db
def test_an_edit_while_the_cache_is_away_is_not_lost_when_it_comes_back(flaky, caplog):
    caplog.set_level(logging.WARNING, logger="catalogue.cache_backend")
    before = caching.version()
    FlakyCache.broken = True
    caching.bump()  # an edit while the cache is away: its new version cannot be written, and no error is raised
    assert flaky.get(caching.VERSION_KEY) is None
    assert cache_state(flaky) == "unavailable"
    FlakyCache.broken = False
    assert flaky.get(caching.VERSION_KEY) not in {None, before}  # the first call that reaches it replaced it
    messages = [r.getMessage() for r in caplog.records if r.name == "catalogue.cache_backend"]
    assert len(messages) == 2 and "answers again" in messages[1], messages
    assert cache_state(flaky) == "ok"


def test_a_cache_of_this_process_is_always_there():
    assert cache_state(LocMemCache("local", {})) == "ok"
