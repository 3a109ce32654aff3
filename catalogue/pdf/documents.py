"""The PDF documents: one case's A4 summary, and a booklet of several cases, each rendered once and then served
from the cache until anything it shows changes (fingerprints.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone

from principles.models import Principle, Score

from .. import assessing, caching, selection
from ..filters import CaseStudyFilter
from ..models import CaseStudy
from . import fingerprints
from .render import FONT_FAMILY, html_to_pdf

logger = logging.getLogger(__name__)

MAX_BOOKLET_CASES = 100
CACHE_SECONDS = 60 * 60 * 24 * 30  # the key changes with the content, so age alone never makes a PDF stale


@dataclass(frozen=True)
class Document:
    content: bytes
    fingerprint: str
    filename: str
    rendered: bool  # False when it came from the cache


@dataclass(frozen=True)
class BookletCover:
    """What a booklet's cover says about how the selection was made."""

    title: str
    filters: tuple[str, ...]  # each filter in words, e.g. "Region: London"
    source_url: str = ""  # where the selection can be seen on the site ("" for an admin selection)
    generated_on: date = field(default_factory=timezone.localdate)


def case_summary(case: CaseStudy) -> Document:
    """The A4 summary of one case (loaded with_everything), from the cache when nothing has changed."""
    principles = list(Principle.objects.all())
    _load_assessments([case])
    key = fingerprints.fingerprint("case", [case], principles)
    context = {**_common(principles), "case": case, "assessment_summary": assessing.compare(case, principles).summary()}
    return _cached(key, f"{case.slug}.pdf", lambda: render_to_string("pdf/case_summary.html", context))


def booklet(cases: Sequence[CaseStudy], cover: BookletCover) -> Document:
    """Several cases (loaded with_everything) as one booklet: cover, how to read the scores, contents with page
    numbers, then each case from a new page."""
    if not cases:
        raise ValueError("A booklet needs at least one case.")
    if len(cases) > MAX_BOOKLET_CASES:
        raise ValueError(f"A booklet holds at most {MAX_BOOKLET_CASES} cases.")
    principles = list(Principle.objects.all())
    _load_assessments(cases)
    key = fingerprints.fingerprint("booklet", cases, principles, extra=vars(cover))
    context = {
        **_common(principles),
        "cases": cases,
        "cover": cover,
        "draft_count": sum(1 for case in cases if not case.is_published),
    }
    return _cached(key, booklet_filename(cover.generated_on), lambda: render_to_string("pdf/booklet.html", context))


def booklet_filename(day: date) -> str:
    return f"co-production-catalogue-{day.isoformat()}.pdf"


def cover_for(filterset: CaseStudyFilter, list_url: str) -> BookletCover:
    """The cover of a booklet made from the public list's filters; `list_url` is the list page's address for the
    selection (its path and canonical query, selection.query_string).

    Only the cleaned selection is on it, never the notices about ignored values: the cover is part of the PDF's
    fingerprint, so quoting what was ignored would make every junk variant of one selection a new render and a
    new stored PDF (anyone could fill the cache and keep the workers rendering)."""
    return BookletCover(
        title="Case studies of co-production",
        filters=selection.in_words(filterset),
        source_url=f"{settings.SITE_URL}{list_url}",
    )


def _load_assessments(cases: Sequence[CaseStudy]) -> None:
    """Load the cases' assessments where the caller has not (two queries for all the cases, none if it has): the
    fingerprint includes them, so a changed assessment renders the PDF again."""
    prefetch_related_objects(list(cases), assessing.assessments_prefetch())


def _common(principles: Sequence[Principle]) -> dict:
    return {
        "principles": principles,
        "score_levels": list(Score),
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "font_family": FONT_FAMILY,
    }


def _cached(key: str, filename: str, html: Callable[[], str]) -> Document:
    cache_key = f"pdf:{key}"
    content = cache.get(cache_key)
    if content is not None:
        return Document(content, key, filename, rendered=False)
    started = time.perf_counter()
    content = html_to_pdf(html())
    logger.info("Rendered %s (%d bytes) in %.0f ms", filename, len(content), (time.perf_counter() - started) * 1000)
    cache.set(cache_key, content, CACHE_SECONDS)
    return Document(content, key, filename, rendered=True)


# --- the public fast path --------------------------------------------------------------------------------------
#
# A published case's PDF, or a booklet of the public list's selection, for the public, without loading any case:
# the catalogue's version (caching.py, replaced by every save, delete or many-to-many change of anything a PDF
# shows, status changes included, by the bulk writes that send no signals, and by a restore) names the fingerprint
# the document had when it was last served under that version; the PDF itself stays where _cached() stored it,
# under that fingerprint. Any edit anywhere gives a new version, so the next request takes the full path: load the
# cases, fingerprint them (and render only if the fingerprint changed). Only the public path reads or writes these
# entries, and only for published cases, so a draft can never be served from them. A booklet is named by the
# canonical query of its cleaned selection (selection.query_string) and the day (its cover is dated), so junk
# added to a selection is answered from here as cheaply as the selection itself.


def _public_key(name: str, catalogue_version: str) -> str:
    # The layout and the site's name and address are in the fingerprint; they are in this key too, so a deploy
    # that changes them is never answered from an entry made before it.
    return caching.key(
        "pdf-public", [fingerprints.layout_version(), settings.SITE_URL, settings.SITE_NAME, name], catalogue_version
    )


def _booklet_name(query: str) -> str:
    return f"booklet:{timezone.localdate().isoformat()}:{query}"


def _cached_public(name: str, catalogue_version: str, filename: str) -> Document | None:
    """Two cache reads and no query: the fingerprint stored under (version, name), then the PDF under it."""
    key = cache.get(_public_key(name, catalogue_version))
    if key is None:
        return None
    content = cache.get(f"pdf:{key}")
    if content is None:
        return None
    return Document(content, key, filename, rendered=False)


def cached_public_summary(slug: str, catalogue_version: str) -> Document | None:
    """The summary of the published case `slug` as served to the public under this catalogue version, or None."""
    return _cached_public(slug, catalogue_version, f"{slug}.pdf")


def remember_public_summary(case: CaseStudy, catalogue_version: str, document: Document) -> None:
    """Let cached_public_summary() find `document` under `catalogue_version`, the version read *before* `case`
    was loaded (so data read during an edit is never stored under the version that follows the edit)."""
    if case.is_published:
        cache.set(_public_key(case.slug, catalogue_version), document.fingerprint, caching.TIMEOUT)


def cached_public_booklet(query: str, catalogue_version: str) -> Document | None:
    """The booklet of the public list's selection `query` (its canonical query string) as served under this
    catalogue version today, or None."""
    return _cached_public(_booklet_name(query), catalogue_version, booklet_filename(timezone.localdate()))


def remember_public_booklet(query: str, catalogue_version: str, document: Document) -> None:
    """Let cached_public_booklet() find `document`, a booklet of published cases only, under the version read
    before its cases were loaded."""
    cache.set(_public_key(_booklet_name(query), catalogue_version), document.fingerprint, caching.TIMEOUT)
