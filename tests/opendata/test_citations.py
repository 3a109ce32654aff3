"""A case's citation (catalogue/opendata/citations.py): the same APA-style line on the page and in the PDFs, and
BibTeX, RIS and CSL-JSON downloads with their media types, escaped so that no title breaks its format."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse

from catalogue.models import CaseStudy, Status
from catalogue.opendata import citations
from catalogue.pdf import documents
from tests.builders import time_bank_case
from tests.support.pdfread import read_pdf

pytestmark = pytest.mark.django_db

HOSTILE = "Care & repair {at 50%} for #1 users_of ~^ services\\ now"


@pytest.fixture
def case(principles, settings):
    settings.SITE_URL = "https://catalogue.example"
    return time_bank_case(last_reviewed=datetime.date(2026, 3, 12))


def download(client, case, fmt):
    return client.get(reverse("catalogue:case-citation", args=[case.slug, fmt]))


@pytest.mark.parametrize(("fmt", "media_type"), [
    ("txt", "text/plain; charset=utf-8"), ("bib", "application/x-bibtex; charset=utf-8"),
    ("ris", "application/x-research-info-systems; charset=utf-8"),
    ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
])  # fmt: skip
def test_each_format_is_a_download_with_its_media_type(client, case, fmt, media_type):
    response = download(client, case, fmt)
    assert response.status_code == 200
    assert response["Content-Type"] == media_type
    assert response["Content-Disposition"] == f'attachment; filename="rushey-green-time-bank.{fmt}"'
    assert "https://catalogue.example/case-studies/rushey-green-time-bank/" in response.content.decode()


def test_the_text_is_apa_style_with_the_review_date_and_the_permanent_address(client, case):
    assert download(client, case, "txt").content.decode() == (
        "Co-production Catalogue. (2026, March 12). Rushey Green Time Bank [Case study]. Last reviewed 12 March "
        "2026. https://catalogue.example/case-studies/rushey-green-time-bank/"
    )


def test_the_pdf_carries_the_same_citation_line(case):
    loaded = CaseStudy.objects.with_everything().get(pk=case.pk)
    text = read_pdf(documents.case_summary(loaded).content).text
    assert "Co-production Catalogue. (2026, March 12). Rushey Green Time Bank [Case study]. Last reviewed" in text


def test_csl_json_is_one_webpage_item(client, case):
    (item,) = json.loads(download(client, case, "json").content)
    assert item["type"] == "webpage" and item["title"] == "Rushey Green Time Bank"
    assert item["author"] == [{"literal": "Co-production Catalogue"}]
    assert item["issued"] == {"date-parts": [[2026, 3, 12]]}
    assert item["URL"] == "https://catalogue.example/case-studies/rushey-green-time-bank/"


def test_ris_has_its_tags_one_a_line_and_ends_the_record(client, case):
    lines = download(client, case, "ris").content.decode().split("\r\n")
    assert lines[0] == "TY  - ELEC" and lines[-2] == "ER  - " and lines[-1] == ""
    assert "TI  - Rushey Green Time Bank" in lines and "DA  - 2026/03/12" in lines and "PY  - 2026" in lines


def test_bibtex_escapes_what_would_break_it(case):
    CaseStudy.objects.filter(pk=case.pk).update(title=HOSTILE + "\nsecond line")
    text = citations.bibtex(citations.citation(CaseStudy.objects.get(pk=case.pk)))
    assert text.startswith("@misc{coproduction-catalogue-rushey-green-time-bank,\n")
    assert r"title = {Care \& repair \{at 50\%\} for \#1 users\_of \textasciitilde{}\textasciicircum{} " \
           r"services\textbackslash{} now second line}," in text  # fmt: skip
    assert "author = {{Co-production Catalogue}}," in text and "month = mar," in text
    body = re.sub(r"\\.", "", text)  # braces still balance once the escaped ones are set aside
    assert body.count("{") == body.count("}")


def test_a_title_with_a_line_break_stays_on_one_ris_line(case):
    CaseStudy.objects.filter(pk=case.pk).update(title="Two\r\nlines")
    text = citations.ris(citations.citation(CaseStudy.objects.get(pk=case.pk)))
    assert "TI  - Two lines\r\n" in text


def test_an_unreviewed_case_says_so_and_is_dated_by_its_publication(case):
    CaseStudy.objects.filter(pk=case.pk).update(last_reviewed=None, first_published_at="2026-05-02T10:00Z")
    text = citations.apa(citations.citation(CaseStudy.objects.get(pk=case.pk)))
    assert text.startswith("Co-production Catalogue. (2026, May 2). Rushey Green Time Bank [Case study]. Not yet")


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_unpublished_cases_and_unknown_formats_are_404(client, case, status):
    assert download(client, case, "doc").status_code == 404
    CaseStudy.objects.filter(pk=case.pk).update(status=status)
    assert download(client, case, "bib").status_code == 404
