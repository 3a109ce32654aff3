"""WeasyPrint may load only the app's own static files; editor-entered text can never become markup.

No test here touches the network: hostile URLs point at a closed port on 127.0.0.1 or at ".invalid" hosts,
and every socket connection attempted while rendering is recorded and refused.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from catalogue.pdf import render
from tests.builders import ConditionFactory, OutcomeFigureFactory, SourceFactory, complete_case
from tests.support.pdfread import read_pdf
from tests.support.unavailable import system_tool

CSS_URL = "https://pdf-assets.invalid/pdf/pdf.css"
# The PDF stylesheet and the palette it imports: the only URLs a PDF asks for.
STYLESHEET_URLS = [CSS_URL, render.ASSET_BASE_URL + "css/palette.css"]
PASSWD_MARK = b"root:x:0:0"


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def connections(monkeypatch) -> list:
    """Every outgoing socket connection attempted, each refused."""
    attempts = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise ConnectionRefusedError("the PDF tests allow no connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.fixture
def fetchers(monkeypatch) -> list:
    """Every URL fetcher the renderer makes, so a test can see each URL it was asked for."""
    made = []
    original = render.asset_fetcher
    render.reset_renderer()  # so the stylesheet, parsed once a thread, is fetched again, by a recorded fetcher

    def recording(root=None):
        fetcher = original(root)
        made.append(fetcher)
        return fetcher

    monkeypatch.setattr(render, "asset_fetcher", recording)
    return made


# --- resolve_asset: the rule -----------------------------------------------------------------------------------


@pytest.fixture
def static_dir(tmp_path) -> Path:
    root = tmp_path / "static"
    (root / "pdf").mkdir(parents=True)
    (root / "pdf" / "pdf.css").write_text("body { color: black }")
    (root / "notes.txt").write_text("not an asset")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.css").write_text("secret")
    (root / "pdf" / "link.css").symlink_to(outside / "secret.css")
    (root / "linked-dir").symlink_to(outside, target_is_directory=True)
    return root


def test_an_asset_url_resolves_to_the_file_in_the_static_folder(static_dir):
    assert render.resolve_asset(CSS_URL, static_dir) == (static_dir / "pdf" / "pdf.css").resolve()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "file://localhost/etc/passwd",
        "data:text/css,body{}",
        "ftp://pdf-assets.invalid/pdf/pdf.css",
        "http://pdf-assets.invalid/pdf/pdf.css",
        "https://127.0.0.1/pdf/pdf.css",
        "http://127.0.0.1:9/x.png",
        "https://localhost/pdf/pdf.css",
        "https://attacker.invalid/pdf/pdf.css",
        "https://pdf-assets.invalid.attacker.invalid/pdf/pdf.css",
        "https://pdf-assets.invalid:8443/pdf/pdf.css",
        "https://user@pdf-assets.invalid/pdf/pdf.css",
        "https://pdf-assets.invalid/pdf/pdf.css?x=1",
        "https://pdf-assets.invalid/",
        "https://pdf-assets.invalid/pdf",
        "https://pdf-assets.invalid/notes.txt",
        "https://pdf-assets.invalid/missing.css",
        "https://pdf-assets.invalid/../outside/secret.css",
        "https://pdf-assets.invalid/pdf/../../outside/secret.css",
        "https://pdf-assets.invalid/%2e%2e/outside/secret.css",
        "https://pdf-assets.invalid/pdf/..%2f..%2foutside%2fsecret.css",
        "https://pdf-assets.invalid/%2fetc%2fpasswd",
        "https://pdf-assets.invalid//etc/passwd",
        "https://pdf-assets.invalid/pdf/pdf.css%00.png",
        "https://pdf-assets.invalid/pdf\\..\\..\\outside\\secret.css",
        "https://pdf-assets.invalid/pdf/link.css",  # a symbolic link out of the static folder
        "https://pdf-assets.invalid/linked-dir/secret.css",  # a linked directory outside it
        "pdf/pdf.css",  # relative: WeasyPrint always resolves against the base URL first
    ],
)
def test_anything_else_is_refused(static_dir, url):
    with pytest.raises(render.RefusedAsset):
        render.resolve_asset(url, static_dir)


# --- the WeasyPrint fetcher ------------------------------------------------------------------------------------


def test_the_fetcher_is_a_weasyprint_url_fetcher_serving_only_static_files(static_dir, closed_port, connections):
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    fetcher = render.asset_fetcher(static_dir)
    assert isinstance(fetcher, URLFetcher)
    response = fetcher.fetch(CSS_URL)
    assert isinstance(response, URLFetcherResponse)
    assert response.read() == b"body { color: black }"
    assert response.content_type == "text/css"
    for url in [
        "file:///etc/passwd",
        f"http://127.0.0.1:{closed_port}/x.png",
        "https://pdf-assets.invalid/../../etc/passwd",
        "https://pdf-assets.invalid/pdf/link.css",
    ]:
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    assert fetcher.requested[1:] == [
        "file:///etc/passwd",
        f"http://127.0.0.1:{closed_port}/x.png",
        "https://pdf-assets.invalid/../../etc/passwd",
        "https://pdf-assets.invalid/pdf/link.css",
    ]
    assert connections == []


def test_the_default_fetcher_serves_the_projects_static_folder(settings):
    response = render.asset_fetcher().fetch(CSS_URL)
    assert response.read() == (Path(settings.BASE_DIR) / "static" / "pdf" / "pdf.css").read_bytes()


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
        '<img src="http://127.0.0.1:{port}/x.png">',
        '<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">',
        '<img src="../../../../etc/passwd">',
        '<img src="%2e%2e/%2e%2e/etc/passwd">',
        "<style>@import url(file:///etc/passwd);</style>",
        '<div style="background: url(file:///etc/passwd)">x</div>',
        '<svg><image href="file:///etc/passwd" width="10" height="10"/></svg>',
        '<object data="file:///etc/passwd"></object>',
    ],
)
def test_a_hostile_document_stops_the_render_without_fetching_anything(markup, closed_port, connections):
    """Even if a template bug let markup through, the fetcher refuses: no PDF, no file read, no connection."""
    html = f'<html lang="en"><head><title>t</title></head><body><p>x</p>{markup.format(port=closed_port)}</body></html>'
    fetcher = render.asset_fetcher()
    with pytest.raises(render.AssetRefusedError):
        render.html_to_pdf(html, fetcher=fetcher)
    assert fetcher.requested, "the renderer asked for the URL, and was refused"
    assert connections == []


def test_the_shared_stylesheet_is_fetched_through_the_same_rule(monkeypatch, connections):
    """The stylesheet parsed once a thread goes through the static-files-only fetcher like any other URL."""
    monkeypatch.setattr(render, "STYLESHEET", "../../../../etc/passwd")
    render.reset_renderer()
    try:
        with pytest.raises(render.AssetRefusedError):
            render.html_to_pdf('<html lang="en"><head><title>t</title></head><body><p>x</p></body></html>')
    finally:
        render.reset_renderer()
    assert connections == []


def test_the_fetcher_never_builds_a_tls_context_that_trusts_anything():
    """WeasyPrint's URLFetcher is a urllib opener: ours gets a TLS context made once that trusts no certificate
    (and never uses it, since fetch() opens no connection), instead of loading the system's bundle each time."""
    first, second = render.asset_fetcher(), render.asset_fetcher()
    contexts = [h._context for f in (first, second) for h in f.handlers if hasattr(h, "_context")]
    assert len(contexts) == 2 and contexts[0] is contexts[1]
    assert contexts[0].cert_store_stats()["x509_ca"] == 0


# --- hostile content entered by an editor ----------------------------------------------------------------------


def hostile_case(port: int):
    case = complete_case(
        title='<img src="file:///etc/passwd"> Hostile case',
        slug="hostile-case",
        summary=f'<link rel="attachment" href="file:///etc/passwd"> Summary <img src="http://127.0.0.1:{port}/x.png">',
        place='<img src="../../../../etc/passwd">',
        partners='<a rel="attachment" href="file:///etc/passwd">partner</a>',
        serves="<style>@import url(file:///etc/passwd);</style>",
        years_note='<object data="file:///etc/passwd"></object>',
        website="file:///etc/passwd",  # bypassing the form's validation, as a direct database write could
    )
    case.conditions.add(ConditionFactory(name='<svg><image href="file:///etc/passwd"/></svg>'))
    case.scores.update(rationale='<div style="background: url(file:///etc/passwd)">why</div>')
    OutcomeFigureFactory(
        case_study=case,
        statement=f'<img src="http://127.0.0.1:{port}/figure.png"> Admissions fell',
        source_url="javascript:alert(1)",
    )
    SourceFactory(case_study=case, title="<b>bold</b> source", url=f"http://127.0.0.1:{port}/../../etc/passwd")
    SourceFactory(case_study=case, title="A local file", url="file:///etc/passwd")
    return case


@pytest.mark.django_db
def test_hostile_case_text_is_printed_as_text_and_nothing_is_fetched_or_embedded(
    client, principles, closed_port, connections, fetchers
):
    case = hostile_case(closed_port)
    response = client.get(reverse("catalogue:case-summary-pdf", kwargs={"slug": case.slug}))
    assert response.status_code == 200
    document = read_pdf(response.content)
    text = document.text
    # The markup is inert: shown as the characters the editor typed.
    assert '<img src="file:///etc/passwd"> Hostile case' in text
    assert '<link rel="attachment" href="file:///etc/passwd"> Summary' in text
    assert '<a rel="attachment" href="file:///etc/passwd">partner</a>' in text
    assert "<style>@import url(file:///etc/passwd);</style>" in text
    assert "<b>bold</b> source" in text
    # Nothing embedded, nothing of /etc/passwd anywhere in the file.
    assert document.embedded_files() == []
    assert "/EmbeddedFiles" not in (document.catalog.get("/Names") or {})
    assert PASSWD_MARK not in document.decoded_streams()
    assert PASSWD_MARK not in response.content
    # Links only to web addresses: the file: website and javascript: source are text, not links.
    assert all(target.startswith(("http://", "https://")) for target in document.link_targets())
    assert "file:///etc/passwd" not in document.link_targets()
    # The renderer asked for the stylesheet and nothing else; no connection was attempted.
    assert [url for fetcher in fetchers for url in fetcher.requested] == STYLESHEET_URLS
    assert connections == []


@pytest.mark.django_db
def test_hostile_case_in_a_booklet_is_inert_too(client, principles, closed_port, connections, fetchers):
    hostile_case(closed_port)
    # A hostile search (matching by its first word), printed on the cover as the text it is.
    query = "Hostile or <img src=file:///etc/passwd>"
    response = client.get(reverse("catalogue:case-booklet-pdf"), {"q": query})
    assert response.status_code == 200
    cover = read_pdf(response.content).pages[0]
    assert f"Search: “{query}”" in cover
    response = client.get(reverse("catalogue:case-booklet-pdf"))
    assert response.status_code == 200
    document = read_pdf(response.content)
    assert '<img src="file:///etc/passwd"> Hostile case' in document.text
    assert document.embedded_files() == []
    assert PASSWD_MARK not in document.decoded_streams()
    assert [url for fetcher in fetchers for url in fetcher.requested] == STYLESHEET_URLS
    assert connections == []


@pytest.mark.django_db
def test_pdfdetach_finds_no_embedded_files(client, principles, closed_port, tmp_path):
    pdfdetach = system_tool("pdfdetach", "poppler-utils")
    case = hostile_case(closed_port)
    path = tmp_path / "case.pdf"
    path.write_bytes(client.get(reverse("catalogue:case-summary-pdf", kwargs={"slug": case.slug})).content)
    result = subprocess.run([pdfdetach, "-list", str(path)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0 embedded files"
