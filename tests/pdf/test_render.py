"""What renders share: the font configuration and parsed stylesheet (one a thread), and the HTML parser's cache."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from catalogue.pdf import render
from tests.support.pdfread import read_pdf

HTML = '<html lang="en"><head><title>t</title></head><body><h1>Heading</h1><p>A &amp; b <b>bold</b></p></body></html>'


@pytest.fixture(autouse=True)
def fresh_renderer():
    render.reset_renderer()
    yield
    render.reset_renderer()


def test_renders_in_one_thread_share_one_font_configuration_and_stylesheet():
    read_pdf(render.html_to_pdf(HTML))
    shared = render._font_config_and_stylesheet()
    read_pdf(render.html_to_pdf(HTML))
    assert render._font_config_and_stylesheet() == shared
    assert all(part is not None for part in shared)

    other = []
    thread = threading.Thread(target=lambda: other.extend(render._font_config_and_stylesheet()))
    thread.start()
    thread.join()
    assert other[0] is not shared[0] and other[1] is not shared[1]  # never shared between threads


def test_the_stylesheet_applies_without_a_link_in_the_document():
    """base.html links no stylesheet any more: html_to_pdf applies it (A4 pages and the running page numbers)."""
    assert "stylesheet" not in render_to_string("pdf/base.html", {})
    document = read_pdf(render.html_to_pdf(render_to_string("pdf/base.html", {})))
    assert "Page 1 of 1" in document.text
    width, height = (float(v) for v in document.reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_weasyprint_is_not_imported_at_start_up():
    code = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "import catalogue.admin, catalogue.views.pdf, catalogue.pdf.documents, catalogue.pdf.render;"
        "print('weasyprint' in sys.modules)"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=environment,
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "False"
