"""Rendering HTML to a tagged PDF with WeasyPrint, through a URL fetcher that can read nothing but the app's
own static files.

Security: by default WeasyPrint fetches every URL in a document (`file:` URLs, `<link rel="attachment">`
embedding local files, requests to any host). Here every URL goes through `asset_fetcher`, which maps one
fixed, unresolvable origin (`ASSET_BASE_URL`) onto the static folder and refuses everything else, stopping
the render. Editor-entered text reaches the templates only through Django's autoescaping, so it can never
become markup; links are written only for http(s) addresses (safelinks.http_url).

WeasyPrint is imported inside the functions that need it: the import is slow, and no web process should pay
for it at start-up. What renders can share is made once a thread, not once a render: the parsed stylesheet,
the font configuration (with the fonts it has loaded) and the fetcher's unused TLS context
(docs/pdf.md has the measurements).
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import ssl
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

from . import patches

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
# WeasyPrint's PDF/UA-1 variant: a tagged PDF (structure tree, marked content), title shown, language set.
PDF_VARIANT = "pdf/ua-1"


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
    one, loading the system's certificate bundle, for every fetcher (a large share of a render). Ours never opens a
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


def _font_config_and_stylesheet():
    if _renderer.stylesheet is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        patches.apply()

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
