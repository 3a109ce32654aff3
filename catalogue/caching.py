"""Cached pages, facet counts, insights and PDFs, correct after any edit and after any deploy.

Every key includes the catalogue's *version*: a random token kept in the cache itself (so every app server
sharing the cache shares it) and replaced whenever anything the cached values depend on changes: a save,
delete or many-to-many change of a case, score, term, region, principle, figure or source (the receivers in
signals.py), and bulk writes that send no signals (synthetic.generate/remove and backup.restore call bump()).
Old entries are never read again and simply expire. A write that bypasses the signals must call bump().

Every key also includes the *code version*, a hash of the project's code, templates and static files: a
deploy that changes how a page is drawn is never answered with a page (or count) stored by the one before.

The version is replaced at once and again when the transaction commits, so a request that read the old data
while the edit was in flight cannot leave its stale result under the new version.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce

from . import pagekeys

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


# Inside bumps_deferred(), bump() only notes that something changed (a list: one per nested block).
_deferred: ContextVar[list[bool] | None] = ContextVar("catalogue_bumps_deferred", default=None)


def bump(**_kwargs: Any) -> None:
    """Make every cached page, count and insight obsolete (a signal receiver, or called directly)."""
    deferred = _deferred.get()
    if deferred is not None:
        deferred[-1] = True
        return
    _replace_version()
    transaction.on_commit(_replace_version)


@contextlib.contextmanager
def bumps_deferred() -> Iterator[None]:
    """One bump for a whole bulk write instead of one per save (each a cache write, twice: at once and again after
    the commit; figures in docs/performance.md). Put it outside the write's transaction: the one bump then
    comes after the commit, so a request that read the data before it stores under the old version."""
    deferred = _deferred.get()
    token = _deferred.set([*(deferred or []), False])
    try:
        yield
    finally:
        changed = _deferred.get()[-1]
        _deferred.reset(token)
        if changed:
            bump()


def key(kind: str, params: Any, catalogue_version: str | None = None) -> str:
    """The cache key of `params` under the current version, or under `catalogue_version` when the caller read
    the version before loading the data it will store (so data read during an edit lands under the old one)."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f"catalogue:{kind}:{catalogue_version or version()}:{code_version()}:{digest}"


def code_sources() -> Iterator[Path]:
    """Every file a page or a PDF is drawn from: the templates, the static files and the code of the project's
    own apps, found from the settings and the app registry rather than listed by name (so a file that moves or
    is added is still covered)."""
    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    roots += [Path(d) for d in settings.STATICFILES_DIRS]
    # The project's own apps sit at the top of the project (installed packages may sit inside it, in .venv/).
    roots += [Path(app.path) for app in apps.get_app_configs() if Path(app.path).resolve().parent == base]
    for root in sorted({r.resolve() for r in roots}):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and "migrations" not in path.parts:
                yield path


@functools.cache
def code_version() -> str:
    """A hash of everything code_sources() finds, read once a process (a deploy starts new processes; the
    development server's reloader clears it when a watched file changes, see signals.py)."""
    digest = hashlib.sha256(f"{settings.SITE_NAME}\0{settings.SITE_URL}".encode())  # on every page too
    for path in code_sources():
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cached[T](kind: str, params: Any, compute: Callable[[], T]) -> T:
    """`compute()`, from the cache when the catalogue has not changed since it was stored."""
    cache_key = key(kind, params)
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, TIMEOUT)
    return value


# --- whole public pages ----------------------------------------------------------------------------------------


def cached_page(kind: str, reads: pagekeys.QueryShape = pagekeys.NO_PARAMETERS) -> Callable:
    """A view decorator: the public rendering of a page, stored under the catalogue version, the path and the
    canonical form of the query parameters the page reads (`reads`, pagekeys.py), never the query as sent.

    While nothing in the catalogue changes, every visitor gets the same HTML for the same URL, so the second
    request for a URL costs two cache reads instead of the queries and template rendering. Only anonymous GET
    and HEAD requests of 200 pages that set no cookie are stored (staff see drafts and previews, so they always
    get a fresh rendering); settings.CATALOGUE_PAGE_CACHE = False turns it off.

    A CSP nonce must be new on every response. The stored HTML keeps the nonce of the response it was rendered
    for (a random 128-bit token, so it cannot occur in the page by chance), and each later response gets its
    own request's nonce in its place, and in its header.

    The view renders a miss from the canonical parameters only (request.GET is replaced), so the stored page
    never carries a visitor's extra parameters in its links; a page the view marked with not_stored() (it
    quoted ignored values) is not stored, so junk values never make a new entry either.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _page_cacheable(request):
                return view(request, *args, **kwargs)
            params = reads.canonical(request.GET)
            cache_key = key(f"page:{kind}", [request.path, params])
            stored = cache.get(cache_key)
            if stored is not None:
                content, content_type, rendered_nonce = stored
                response = HttpResponse(_with_nonce(request, content, rendered_nonce), content_type=content_type)
                response["X-Page-Cache"] = "hit"
                return response
            request.GET = pagekeys.query_dict(params)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if _storable(response):
                nonce = get_nonce(request)
                rendered_nonce = str(nonce) if nonce else ""  # only a nonce the page used can be in it
                cache.set(cache_key, (response.content, response["Content-Type"], rendered_nonce), TIMEOUT)
            response["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorator


def not_stored(response: HttpResponse) -> HttpResponse:
    """Mark a page as not to be stored: it quotes parameter values it ignored (its key holds them as sent, so
    storing it would let junk values fill the cache)."""
    response.page_cache_not_stored = True
    return response


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(response, "page_cache_not_stored", False)
    )


def _page_cacheable(request: HttpRequest) -> bool:
    return (
        settings.CATALOGUE_PAGE_CACHE
        and request.method in {"GET", "HEAD"}
        and get_nonce(request) is not None  # the CSP middleware ran, so each response has a nonce of its own
        and not request.user.is_authenticated
    )


def _with_nonce(request: HttpRequest, content: bytes, rendered_nonce: str) -> bytes:
    """The stored HTML with this response's nonce where the first response's was (generated only if needed)."""
    if not rendered_nonce or rendered_nonce.encode() not in content:
        return content
    return content.replace(rendered_nonce.encode(), str(get_nonce(request)).encode())
