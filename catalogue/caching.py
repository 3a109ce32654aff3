"""Cached facet counts and insights, correct after any edit.

Every key includes the catalogue's *version*: a random token kept in the cache itself (so every app server
sharing the cache shares it) and replaced whenever anything the cached values depend on changes: a save,
delete or many-to-many change of a case, score, term, region, principle, figure or source (signals, wired in
apps.py), and bulk writes that send no signals (synthetic.generate/remove and backup.restore call bump()). Old
entries are never read again and simply expire. The public fast path of case PDFs (pdf.cached_public_summary)
relies on it too: a write that bypasses the signals must call bump().

The version is replaced at once and again when the transaction commits, so a request that read the old data
while the edit was in flight cannot leave its stale result under the new version.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "catalogue:version"
TIMEOUT = 60 * 60  # an hour; the version makes entries obsolete long before that when anything changes


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        current = uuid.uuid4().hex
        # add() keeps another process's token if one was stored in between.
        if not cache.add(VERSION_KEY, current, timeout=None):
            current = cache.get(VERSION_KEY) or current
    return current


def _replace_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump(**_kwargs: Any) -> None:
    """Make every cached facet count and insight obsolete (a signal receiver, or called directly)."""
    _replace_version()
    transaction.on_commit(_replace_version)


def key(kind: str, params: Any) -> str:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f"catalogue:{kind}:{version()}:{digest}"


def cached[T](kind: str, params: Any, compute: Callable[[], T]) -> T:
    """`compute()`, from the cache when the catalogue has not changed since it was stored."""
    cache_key = key(kind, params)
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, TIMEOUT)
    return value


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from principles.models import Principle, PrincipleScore

    from .models import Approach, CaseStudy, Condition, OutcomeFigure, Region, Source

    for model in (CaseStudy, PrincipleScore, Principle, Condition, Approach, Region, OutcomeFigure, Source):
        post_save.connect(bump, sender=model, dispatch_uid=f"catalogue-cache-save-{model._meta.label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"catalogue-cache-delete-{model._meta.label}")
    for through in (CaseStudy.conditions.through, CaseStudy.approaches.through):
        m2m_changed.connect(bump, sender=through, dispatch_uid=f"catalogue-cache-m2m-{through._meta.label}")


def cached_facets(filterset) -> dict:
    """The FilterSet's facet counts, cached per choice of filters (the sort order does not change them)."""
    from .filters import FACETS

    params = {name: filterset.cleaned.get(name) or [] for name in FACETS}
    params |= {"q": filterset.query, "min_score": filterset.minimum_score}
    return cached("facets", params, filterset.facets)
