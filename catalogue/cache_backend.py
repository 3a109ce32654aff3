"""Cache backends that fail open: when the shared cache (Redis, or a cache directory) cannot be reached, every
read is a miss, every write and delete is skipped, and the site goes on serving from the database.

The cache only ever holds what can be made again (pages, counts, PDFs, the catalogue version), so losing it
costs time, never correctness of what is shown now; a 500 on every page because Redis restarted would cost
the whole site. Every call of every backend goes through the methods below (Django's async methods and
get_or_set call them too), so there is one place where a cache error is caught.

- After a failure the cache is not tried again for RETRY_SECONDS, so a cache that hangs or refuses costs one
  failed call per process in that time, not one per cache call of every request.
- The failure is logged once when the cache goes away and once when it answers again (not per call).
- When it answers again, `cache_recovered` is sent: writes were skipped while it was away (an edit's new
  catalogue version among them), so catalogue/signals.py replaces the version then.
- `available()` asks the cache itself, for /healthz.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache that has gone away raises: redis-py's errors (ConnectionError, TimeoutError, ...) and, for a
# cache directory, the operating system's (a full disk, a missing or unwritable directory).
CACHE_ERRORS = (RedisError, OSError)

# Sent (by the backend instance) on the first successful call after the cache was unavailable.
cache_recovered = Signal()

_MISSING = object()
READS = frozenset({"get", "get_many", "has_key"})


class FailOpenMixin:
    RETRY_SECONDS = 5.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._down_since: float | None = None  # monotonic time of the failure that took it down
        self._retry_at = 0.0

    # --- the state -----------------------------------------------------------------------------------------

    @property
    def is_down(self) -> bool:
        return self._down_since is not None

    def _call(self, method: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        if self.is_down and time.monotonic() < self._retry_at:
            return fallback
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except CACHE_ERRORS as exc:
            self._went_down(exc)
            return fallback
        if self.is_down:
            self._came_back()
            if method in READS:  # read again what the receivers of cache_recovered may just have replaced
                return self._call(method, fallback, *args, **kwargs)
        return result

    def _went_down(self, exc: Exception) -> None:
        with self._lock:
            first = self._down_since is None
            if first:
                self._down_since = time.monotonic()
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
        if first:
            logger.warning(
                "The cache is unavailable (%s: %s): pages are served without it (reads miss, writes are skipped) "
                "until it answers again.",
                type(exc).__name__,
                exc,
            )

    def _came_back(self) -> None:
        with self._lock:
            down_since, self._down_since = self._down_since, None
        if down_since is not None:
            logger.warning("The cache answers again after %.0f s unavailable.", time.monotonic() - down_since)
            cache_recovered.send(sender=type(self), cache=self)

    def available(self) -> bool:
        """Whether the cache answers now (a real round trip, whatever the retry delay says)."""
        self._retry_at = 0.0
        sentinel = object()
        return self._call("get", sentinel, "catalogue:healthz") is not sentinel and not self.is_down

    # --- every operation of BaseCache ------------------------------------------------------------------------

    def add(self, key, value, timeout=_MISSING, version=None):
        return self._call("add", False, key, value, *self._timeout(timeout), version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def set(self, key, value, timeout=_MISSING, version=None):
        return self._call("set", None, key, value, *self._timeout(timeout), version=version)

    def touch(self, key, timeout=_MISSING, version=None):
        return self._call("touch", False, key, *self._timeout(timeout), version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def incr(self, key, delta=1, version=None):
        # There is no value to count from: the same error as for a missing key.
        value = self._call("incr", _MISSING, key, delta, version=version)
        if value is _MISSING:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return value

    def set_many(self, data, timeout=_MISSING, version=None):
        return self._call("set_many", list(data), data, *self._timeout(timeout), version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def clear(self):
        return self._call("clear", None)

    @staticmethod
    def _timeout(timeout: Any) -> tuple:
        # Passed on only when given, so each backend keeps its own default (DEFAULT_TIMEOUT).
        return () if timeout is _MISSING else (timeout,)


class FailOpenRedisCache(FailOpenMixin, RedisCache):
    pass


class FailOpenFileBasedCache(FailOpenMixin, FileBasedCache):
    pass


def cache_state(cache) -> str:
    """ "ok" or "unavailable", for /healthz. A cache of this process (locmem, dummy) is always there."""
    available = getattr(cache, "available", None)
    return "ok" if available is None or available() else "unavailable"
