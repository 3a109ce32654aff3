"""Cached pages, facet counts and insights, correct after any edit.

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

import functools
import hashlib
import json
import secrets
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce

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


def key(kind: str, params: Any, catalogue_version: str | None = None) -> str:
    """The cache key of `params` under the current version, or under `catalogue_version` when the caller read
    the version before loading the data it will store (so data read during an edit lands under the old one)."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f"catalogue:{kind}:{catalogue_version or version()}:{digest}"


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


# --- whole public pages ----------------------------------------------------------------------------------------


def cached_page(kind: str) -> Callable:
    """A view decorator: the public rendering of a page, stored under the catalogue version and the full URL.

    While nothing in the catalogue changes, every visitor gets the same HTML for the same URL, so the second
    request for a URL costs two cache reads instead of the queries and template rendering. Only anonymous GET
    and HEAD requests of 200 pages that set no cookie are stored (staff see drafts and previews, so they always
    get a fresh rendering); settings.CATALOGUE_PAGE_CACHE = False turns it off.

    The page's CSP nonce must be new on every response, so the stored HTML holds a random placeholder where
    the nonce was rendered, and each response gets the request's own nonce in its place (and in its header).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _page_cacheable(request):
                return view(request, *args, **kwargs)
            cache_key = key(f"page:{kind}", [request.path, sorted(request.GET.lists())])
            stored = cache.get(cache_key)
            if stored is not None:
                content, content_type, placeholder = stored
                response = HttpResponse(_with_nonce(request, content, placeholder), content_type=content_type)
                response["X-Page-Cache"] = "hit"
                return response
            placeholder = secrets.token_urlsafe(24)
            nonce = request._csp_nonce  # the middleware's lazy nonce, put back below
            request._csp_nonce = placeholder
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
            finally:
                request._csp_nonce = nonce
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(cache_key, (response.content, response["Content-Type"], placeholder), TIMEOUT)
            response.content = _with_nonce(request, response.content, placeholder)
            response["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorator


def _page_cacheable(request: HttpRequest) -> bool:
    return (
        settings.CATALOGUE_PAGE_CACHE
        and request.method in {"GET", "HEAD"}
        and get_nonce(request) is not None  # the CSP middleware ran, so the nonce can be swapped in
        and not request.user.is_authenticated
    )


def _with_nonce(request: HttpRequest, content: bytes, placeholder: str) -> bytes:
    """The stored HTML with this response's nonce where the placeholder is (generated only if needed)."""
    marker = placeholder.encode()
    if marker not in content:
        return content
    return content.replace(marker, str(request._csp_nonce).encode())
