"""A local cache that fails as a Redis that has gone away does, while FlakyCache.broken is set (for the tests of
catalogue/cache_backend.py and the fault tests: settings.CACHES BACKEND "tests.support.flaky_cache.FlakyCache")."""

from __future__ import annotations

from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import ConnectionError as RedisConnectionError

from catalogue.cache_backend import FailOpenMixin

OPERATIONS = ("add", "get", "set", "touch", "delete", "has_key", "incr", "get_many", "set_many", "delete_many", "clear")


class BreakableLocMemCache(LocMemCache):
    broken = False


def _breakable(name: str):
    def operation(self, *args, **kwargs):
        if type(self).broken:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")
        return getattr(super(BreakableLocMemCache, self), name)(*args, **kwargs)

    return operation


for _name in OPERATIONS:
    setattr(BreakableLocMemCache, _name, _breakable(_name))


class FlakyCache(FailOpenMixin, BreakableLocMemCache):
    RETRY_SECONDS = 0.0  # tests move between broken and working without waiting
