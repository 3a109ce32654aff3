"""PDF summaries of case studies, rendered by WeasyPrint: one case, or a selection of cases as a booklet.

Three jobs live here, each a plain function the views and the admin action call:

- loading cases with everything a PDF shows, in a fixed number of queries whatever their number (`for_pdf`);
- a fingerprint of exactly that data (and of the layout), the key of the cache: a PDF is rendered once and
  reused until anything it shows changes (`fingerprint`, `case_summary`, `booklet`);
- rendering HTML to PDF with a URL fetcher that can read nothing but the app's own static files
  (`resolve_asset`, `asset_fetcher`, `html_to_pdf`).

Security: by default WeasyPrint fetches every URL in a document (`file:` URLs, `<link rel="attachment">`
embedding local files, requests to any host). Here every URL goes through `asset_fetcher`, which maps one
fixed, unresolvable origin (`ASSET_BASE_URL`) onto the static folder and refuses everything else, stopping
the render. Editor-entered text reaches the templates only through Django's autoescaping, so it can never
become markup; links are written only for http(s) addresses (see templatetags/pdf_tags.py).

WeasyPrint is imported inside the functions that need it: the import costs about half a second, and no web
process should pay that at start-up. What renders can share is made once a thread, not once a render: the parsed
stylesheet, the font configuration (with the fonts it has loaded) and the fetcher's unused TLS context. Two fixes to
the libraries, each checked to give the same document: tinyhtml5's regex cache hits (`_fix_html_parser_cache`) and a
plain SVG <text> is drawn as one run rather than letter by letter (`_fix_svg_text`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import mimetypes
import re
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from principles.models import Principle, Score

from . import caching
from .models import CaseStudy

logger = logging.getLogger(__name__)

# Any URL in a PDF template is relative to this origin. ".invalid" can never resolve (RFC 2606), and the
# fetcher never opens a connection anyway: it maps the path onto the static folder.
ASSET_HOST = "pdf-assets.invalid"
ASSET_BASE_URL = f"https://{ASSET_HOST}/"
ASSET_SUFFIXES = frozenset(
    {".css", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".ttf", ".otf"}
)

# The stylesheet of every PDF, applied by html_to_pdf (parsed once a thread, not once a render).
STYLESHEET = "pdf/pdf.css"

# The PDF's font, by family name (installed by scripts/ensure-system-packages), with DejaVu as the fallback
# for characters Open Sans lacks.
FONT_FAMILY = "Open Sans, DejaVu Sans, sans-serif"
MAX_BOOKLET_CASES = 100
CACHE_SECONDS = 60 * 60 * 24 * 30  # the key changes with the content, so age alone never makes a PDF stale
# WeasyPrint's PDF/UA-1 variant: a tagged PDF (structure tree, marked content), title shown, language set.
PDF_VARIANT = "pdf/ua-1"

# The files whose content shapes every PDF: a change to any of them gives new cache keys.
LAYOUT_FILES = [
    "templates/pdf/base.html",
    "templates/pdf/case_summary.html",
    "templates/pdf/booklet.html",
    "templates/pdf/_case.html",
    "templates/includes/_profile_chart.html",
    "templates/includes/_chart_marker.html",
    "static/pdf/pdf.css",
    "catalogue/charts.py",
    "catalogue/pdf.py",
    "catalogue/templatetags/catalogue_tags.py",  # principle_profile and svg_number, for the chart
    "catalogue/templatetags/pdf_tags.py",
]


# --- loading ---------------------------------------------------------------------------------------------------


def for_pdf(queryset: QuerySet[CaseStudy]) -> QuerySet[CaseStudy]:
    """The cases with everything a PDF shows: six queries in all, however many cases."""
    return (
        queryset.defer("search_vector")
        .select_related("region")
        .prefetch_related("conditions", "approaches", "outcome_figures", "sources")
        .with_scores()
    )


# --- the cache key ---------------------------------------------------------------------------------------------


def _fields(obj: Model, exclude: Iterable[str] = ()) -> list:
    return [(f.attname, getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.attname not in exclude]


def case_state(case: CaseStudy) -> list:
    """Everything about a case that a PDF can show, from its prefetched data (no queries)."""
    return [
        _fields(case, exclude={"search_vector"}),
        [case.region.pk, case.region.name] if case.region else None,
        [[c.slug, c.name] for c in case.conditions.all()],
        [[a.slug, a.name] for a in case.approaches.all()],
        [[*_fields(s), s.principle.number, s.principle.name, s.principle.short_name] for s in case.scores.all()],
        [_fields(f) for f in case.outcome_figures.all()],
        [_fields(s) for s in case.sources.all()],
    ]


@functools.cache
def layout_version() -> str:
    """A hash of the templates, CSS and code that shape a PDF, and of WeasyPrint's version (once a process)."""
    digest = hashlib.sha256(version("weasyprint").encode())
    for name in LAYOUT_FILES:
        path = Path(settings.BASE_DIR) / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"missing"))
    return digest.hexdigest()[:16]


def fingerprint(kind: str, cases: Sequence[CaseStudy], principles: Sequence[Principle], extra: object = None) -> str:
    """A hash that changes when anything the PDF shows changes: the cases, their scores, outcome figures,
    sources, conditions, approaches and region, the principles' names, the layout, and `extra` (a booklet's
    cover). Computed from the prefetched data, so it costs no queries of its own."""
    state = [
        kind,
        layout_version(),
        settings.SITE_URL,
        settings.SITE_NAME,
        [_fields(p) for p in principles],
        [case_state(case) for case in cases],
        extra,
    ]
    return hashlib.sha256(json.dumps(state, default=str, sort_keys=True).encode()).hexdigest()


# --- documents -------------------------------------------------------------------------------------------------


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
    notices: tuple[str, ...] = ()  # parts of the query that were ignored or corrected
    source_url: str = ""  # where the selection can be seen on the site ("" for an admin selection)
    generated_on: date = field(default_factory=timezone.localdate)


def case_url(case: CaseStudy) -> str:
    return f"{settings.SITE_URL}{case.get_absolute_url()}"


def case_summary(case: CaseStudy) -> Document:
    """The A4 summary of one case (loaded with `for_pdf`), from the cache when nothing has changed."""
    principles = list(Principle.objects.all())
    key = fingerprint("case", [case], principles)
    return _cached(
        key,
        f"{case.slug}.pdf",
        lambda: render_to_string("pdf/case_summary.html", {**_common(principles), "case": case}),
    )


# --- the public fast path --------------------------------------------------------------------------------------
#
# A published case's PDF, for the public, without loading the case: the catalogue's version (catalogue/caching.py,
# replaced by every save, delete or many-to-many change of anything a PDF shows, status changes included, by the
# bulk writes that send no signals, and by a restore) names the fingerprint the case had when it was last served
# under that version; the PDF itself stays where _cached() stored it, under that fingerprint. Any edit anywhere
# gives a new version, so the next request takes the full path: load the case, fingerprint it (and render only if
# the fingerprint changed). Only the public path reads or writes these entries, and only for published cases, so
# a draft can never be served from them. A write that bypasses the signals (a queryset update(), raw SQL) must
# call caching.bump(), as synthetic.generate() does, or these entries serve the old PDF for up to an hour.


def _public_key(slug: str, catalogue_version: str) -> str:
    # The layout and the site's name and address are in the fingerprint; they are in this key too, so a deploy
    # that changes them is never answered from an entry made before it.
    return caching.key("pdf-public", [layout_version(), settings.SITE_URL, settings.SITE_NAME, slug], catalogue_version)


def cached_public_summary(slug: str, catalogue_version: str) -> Document | None:
    """The summary of the published case `slug` as served to the public under this catalogue version, or None.

    Two cache reads and no query: the fingerprint stored under (version, slug), then the PDF under it."""
    key = cache.get(_public_key(slug, catalogue_version))
    if key is None:
        return None
    content = cache.get(f"pdf:{key}")
    if content is None:
        return None
    return Document(content, key, f"{slug}.pdf", rendered=False)


def remember_public_summary(case: CaseStudy, catalogue_version: str, document: Document) -> None:
    """Let cached_public_summary() find `document` under `catalogue_version`, the version read *before* `case`
    was loaded (so data read during an edit is never stored under the version that follows the edit)."""
    if case.is_published:
        cache.set(_public_key(case.slug, catalogue_version), document.fingerprint, caching.TIMEOUT)


def booklet(cases: Sequence[CaseStudy], cover: BookletCover) -> Document:
    """Several cases (loaded with `for_pdf`) as one booklet: cover, how to read the scores, contents with page
    numbers, then each case from a new page."""
    if not cases:
        raise ValueError("A booklet needs at least one case.")
    if len(cases) > MAX_BOOKLET_CASES:
        raise ValueError(f"A booklet holds at most {MAX_BOOKLET_CASES} cases.")
    principles = list(Principle.objects.all())
    key = fingerprint("booklet", cases, principles, extra=vars(cover))
    context = {
        **_common(principles),
        "cases": cases,
        "cover": cover,
        "draft_count": sum(1 for case in cases if not case.is_published),
    }
    filename = f"co-production-catalogue-{cover.generated_on.isoformat()}.pdf"
    return _cached(key, filename, lambda: render_to_string("pdf/booklet.html", context))


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


# --- rendering -------------------------------------------------------------------------------------------------


class RefusedAsset(ValueError):
    """A URL the PDF renderer may not load: anything but a file in the static folder under ASSET_BASE_URL."""


class AssetRefusedError(RuntimeError):
    """A PDF template asked for a URL that is not an allowed static file: a bug, so the render stops."""


def static_root() -> Path:
    """The app's own static files (the project's static/ folder, where the names are stable)."""
    return Path(settings.STATICFILES_DIRS[0])


def resolve_asset(url: str, root: Path) -> Path:
    """The file under `root` that `url` names, or RefusedAsset.

    Only https://pdf-assets.invalid/<path> is accepted (no other scheme, host, port, user or query); the path,
    once percent-decoded and resolved (following symbolic links), must be a regular file inside `root` with
    one of the suffixes of static assets."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" or parts.netloc.lower() != ASSET_HOST:
        raise RefusedAsset(f"Not a static asset URL: {url[:200]}")
    if parts.query:
        raise RefusedAsset(f"Static asset URLs take no query: {url[:200]}")
    relative = unquote(parts.path).lstrip("/")
    if not relative or "\0" in relative or "\\" in relative:
        raise RefusedAsset(f"Not a static file: {url[:200]}")
    base = root.resolve()
    try:
        path = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError) as error:
        raise RefusedAsset(f"No such static file: {url[:200]}") from error
    if not path.is_relative_to(base):
        raise RefusedAsset(f"Outside the static folder: {url[:200]}")
    if not path.is_file() or path.suffix.lower() not in ASSET_SUFFIXES:
        raise RefusedAsset(f"Not a static asset: {url[:200]}")
    return path


def asset_fetcher(root: Path | None = None):
    """A WeasyPrint URL fetcher that serves files under `root` (default: the static folder) and nothing else.

    It never opens a connection or a file outside `root`: a refused URL raises WeasyPrint's
    FatalURLFetchingError, which stops the render. `requested` lists every URL it was asked for."""
    return _fetcher_class()(root if root is not None else static_root())


@functools.cache
def _unused_tls_context() -> ssl.SSLContext:
    """The TLS context handed to WeasyPrint's URLFetcher (a urllib opener), which would otherwise build a default
    one, loading the system's certificate bundle, for every fetcher: about 45 ms a render. Ours never opens a
    connection (fetch() below reads files only), so it gets this one, made once, which trusts no certificate at
    all: even a connection opened by mistake could not be verified."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


@functools.cache
def _fetcher_class():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class StaticFilesOnlyFetcher(URLFetcher):
        def __init__(self, root: Path):
            super().__init__(
                ssl_context=_unused_tls_context(), allowed_protocols=(), allow_redirects=False, fail_on_errors=True
            )
            self.root = root
            self.requested: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            self.requested.append(url)
            try:
                path = resolve_asset(url, self.root)
            except RefusedAsset as error:
                logger.warning("PDF renderer refused %s", url[:200])
                self.refused.append(url)
                raise FatalURLFetchingError(str(error)) from None
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesOnlyFetcher


class _Renderer(threading.local):
    """What every render can share, made once a thread: WeasyPrint's font configuration (Fontconfig and Pango's
    font map, with the fonts it has loaded) and the parsed stylesheet. Neither is safe to share between threads."""

    font_config = None
    stylesheet = None


_renderer = _Renderer()


class _CharactersUntilRegexes(dict):
    """tinyhtml5's cache of the regular expressions its tokenizer scans text with, keyed by (characters, opposite).

    tinyhtml5 2.1 never hits its own cache: `characters = cache[(characters, opposite)] = regex` assigns the name
    before the key is built, so each entry is stored under (regex, opposite) and every scan builds its regex
    again (about half of the HTML parse: a case summary's 9 KB took 21 ms to parse, 10 ms with the cache). This
    dict builds the same regex the same way on a miss, and stores it under the key the lookup uses."""

    def __missing__(self, key):
        characters, opposite = key
        regex = "".join([f"\\x{ord(character):02x}" for character in characters])
        if not opposite:
            regex = f"^{regex}"
        value = self[key] = re.compile(f"[{regex}]+")
        return value


@functools.cache
def _fix_html_parser_cache() -> None:
    from tinyhtml5 import inputstream

    if type(getattr(inputstream, "characters_until_regex", None)) is dict:  # as in 2.1; otherwise leave it be
        inputstream.characters_until_regex = _CharactersUntilRegexes()


class _OneRun(str):
    """A string that iterates as one piece: WeasyPrint's SVG text loop then lays out and draws it in one go."""

    def __iter__(self):
        yield str(self)


# Attributes that place or space glyphs one by one: text carrying any of them keeps WeasyPrint's per-letter path.
_PER_GLYPH_ATTRIBUTES = frozenset({"rotate", "letter-spacing", "textLength", "lengthAdjust"})
SVG_TEXT_FIX_VERSIONS = frozenset({"70.0"})  # the WeasyPrint versions whose svg/text.py this was checked against


def _svg_text_in_one_run(original):
    from weasyprint.svg.utils import normalize

    def text(svg, node, font_size):
        element = node._etree_node
        content = element.text
        simple = (
            node.tag == "text"
            and content
            and len(element) == 0  # no <tspan>, <a> or <textPath> inside
            and not (_PER_GLYPH_ATTRIBUTES & node.attrib.keys())
            and all(len(normalize(node.get(name, "")).split()) <= 1 for name in ("x", "y", "dx", "dy"))
        )
        if not simple:
            return original(svg, node, font_size)
        element.text = _OneRun(content)
        try:
            return original(svg, node, font_size)
        finally:
            element.text = content

    text.weasyprint_original = original
    return text


@functools.cache
def _fix_svg_text() -> bool:
    """Draw each plain SVG <text> as one run of text, not letter by letter.

    WeasyPrint 70's svg/text.py lays out and draws every letter of a <text> separately (a Pango layout, a
    shaping pass and a text-showing operation per character), so that it can honour per-glyph x, y, dx, dy and
    rotate lists, letter-spacing and textLength. The principle profile's 16 labels (about 190 characters) cost
    about 50 ms a render that way. A <text> with none of those, no child elements and one position is passed to
    WeasyPrint's own function with its content as a string that iterates as one piece, so the same code lays it
    out, anchors it, colours it and draws it once: the same glyphs, font, position and anchoring, with the
    font's kerning applied as a browser does (letter by letter it is lost). Anything else goes the per-letter
    way, unchanged. Applied only to the WeasyPrint versions it was checked against; returns whether it is on."""
    import weasyprint
    import weasyprint.svg as svg

    if weasyprint.__version__ not in SVG_TEXT_FIX_VERSIONS:
        return False
    if hasattr(svg.text, "weasyprint_original"):
        return True
    original = svg.text
    fixed = _svg_text_in_one_run(original)
    # draw_node recognises text elements by comparing TAGS entries with the module's `text`: replace both.
    svg.text = fixed
    for tag, function in list(svg.TAGS.items()):
        if function is original:
            svg.TAGS[tag] = fixed
    return True


def _font_config_and_stylesheet():
    if _renderer.stylesheet is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        _fix_html_parser_cache()
        _fix_svg_text()

        font_config = FontConfiguration()
        fetcher = asset_fetcher()  # the stylesheet is fetched like any other asset, through the same rule
        stylesheet = _checked(fetcher, lambda: CSS(url=ASSET_BASE_URL + STYLESHEET, url_fetcher=fetcher,
                                                   font_config=font_config))  # fmt: skip
        _renderer.font_config, _renderer.stylesheet = font_config, stylesheet
    return _renderer.font_config, _renderer.stylesheet


def reset_renderer() -> None:
    """Forget this thread's font configuration and stylesheet (the next render makes them again)."""
    _renderer.font_config = _renderer.stylesheet = None


def _checked[T](fetcher, work: Callable[[], T]) -> T:
    from weasyprint.urls import FatalURLFetchingError

    try:
        result = work()
    except FatalURLFetchingError as error:
        # A BaseException in WeasyPrint; re-raised as an ordinary error so Django reports it like any other.
        raise AssetRefusedError(str(error)) from None
    if fetcher.refused:
        # WeasyPrint swallows even fatal errors inside SVG images; a refused URL still means no PDF.
        raise AssetRefusedError(f"Refused to load {fetcher.refused[0][:200]}")
    return result


def html_to_pdf(html: str, fetcher=None) -> bytes:
    """Render HTML (whose relative URLs point into the static folder) to a tagged PDF, with the PDF stylesheet.

    The stylesheet is parsed once a thread and the fonts are loaded once a thread (see _Renderer); everything
    the document itself asks for goes through `fetcher`, a new one for each render. The stylesheet is given to
    WeasyPrint as a user stylesheet rather than linked from the document: the PDF templates carry no styles of
    their own, so the cascade is the same (checked: the same text, layout, tags, fonts and page images)."""
    from weasyprint import HTML

    font_config, stylesheet = _font_config_and_stylesheet()
    fetcher = fetcher if fetcher is not None else asset_fetcher()
    return _checked(
        fetcher,
        lambda: HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=fetcher).write_pdf(
            pdf_variant=PDF_VARIANT, font_config=font_config, stylesheets=[stylesheet]
        ),
    )


# --- describing a selection ------------------------------------------------------------------------------------

FILTERS_IN_WORDS = ["condition", "region", "approach", "setting"]


def selection_query(filterset) -> str:
    """The query string of a FilterSet's valid values only, in a fixed order (unknown values dropped)."""
    cleaned = filterset.cleaned
    params: list[tuple[str, str]] = [("q", filterset.query)] if filterset.query else []
    for name in [*FILTERS_IN_WORDS, "principle"]:
        params.extend((name, value) for value in cleaned.get(name) or [])
    if cleaned.get("principle") and cleaned.get("min_score"):
        params.append(("min_score", cleaned["min_score"]))
    if cleaned.get("sort"):
        params.append(("sort", cleaned["sort"]))
    return urlencode(params)


def selection_in_words(filterset, *, with_order: bool = True) -> tuple[str, ...]:
    """Each active filter of a CaseStudyFilter as a line of plain words (and the order, for a booklet's cover)."""
    cleaned, fields = filterset.cleaned, filterset.form.fields
    lines = [f"Search: “{filterset.query}”"] if filterset.query else []
    for name in FILTERS_IN_WORDS:
        values = cleaned.get(name) or []
        if values:
            labels = dict(fields[name].choices)
            lines.append(f"{fields[name].label}: {' or '.join(str(labels[v]) for v in values)}")
    chosen = filterset.chosen_principles
    if chosen:
        labels = dict(fields["principle"].choices)
        level = Score(filterset.minimum_score)
        lines.append(
            f"{fields['principle'].label}: {' and '.join(str(labels[v]) for v in chosen)}, "
            f"each scored {level.value} ({level.label}) or stronger"
        )
    if not lines:
        lines.append("All published case studies (no filters chosen)")
    if with_order:
        sort_labels = dict(fields["sort"].choices)
        lines.append(f"In order of: {str(sort_labels[filterset.sort_order]).lower()}")
    return tuple(lines)


def cover_for(filterset, list_path: str) -> BookletCover:
    """The cover of a booklet made from the public list's filters; `list_path` is the list page's path."""
    query = selection_query(filterset)
    return BookletCover(
        title="Case studies of co-production",
        filters=selection_in_words(filterset),
        notices=tuple(filterset.notices),
        source_url=f"{settings.SITE_URL}{list_path}{'?' + query if query else ''}",
    )
