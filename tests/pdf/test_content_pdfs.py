"""The case summaries of the real catalogue (fixtures/cases): what a commissioner needs, on two A4 pages for a
typical case, with no heading parted from what follows it."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from catalogue.models import CaseStudy
from catalogue.pdf import documents
from tests.support.pdfread import read_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Two cases written for issue 15 from ../shared/facts/new-cases-2026-12.md, one in Scotland and one in England.
NEW_CASES = ["links-worker-programme-glasgow", "compassionate-neighbours"]


@pytest.fixture
def published():
    call_command("load_catalogue", verbosity=0)
    return CaseStudy.objects.published().with_everything().order_by("slug")


def flat(text: str) -> str:
    return " ".join(text.split())


def first_sentence(text: str) -> str:
    return flat(text).split(". ")[0]


@pytest.mark.parametrize("slug", NEW_CASES)
def test_a_new_cases_summary_says_what_they_did_how_power_is_shared_and_whom_to_contact(published, slug):
    case = published.get(slug=slug)
    document = read_pdf(documents.case_summary(case).content)
    text = document.text
    assert case.what_they_did and case.sharing_power
    for part in [case.what_they_did, case.sharing_power]:
        assert first_sentence(part) in text
        assert flat(part.splitlines()[-1])[-60:] in text  # to the end, not cut short
    assert "Contact" in text and case.lead_organisation in text
    assert case.website in document.link_targets()  # a long address wraps, so its text has breaks
    assert any(link.endswith(f"/case-studies/{slug}/report-an-error/") for link in document.link_targets())


def words(text: str, count: int = 4) -> str:
    return " ".join(text.split()[:count])


def heading_followers(case) -> dict[str, str]:
    """Each heading of a summary with the first words that follow it in the PDF's text."""
    figures = list(case.outcome_figures.all())
    followers = {
        "Summary": words(case.summary),
        "What they did": words(case.what_they_did),
        "How people share power": words(case.sharing_power),
        "Outcome figures": "Result Evidence Source" if figures else "No outcome figures",
        "Sources": words(case.sources.all()[0].title, 3),
        "Cite or correct this case study": "Co-production Catalogue.",
    }
    return {heading: follower for heading, follower in followers.items() if follower}


def test_a_typical_summary_fits_two_pages_and_no_heading_ends_a_page(published):
    pages = Counter()
    for case in published:
        document = read_pdf(documents.case_summary(case).content)
        pages[len(document.pages)] += 1
        for heading, follower in heading_followers(case).items():
            # on one page, nothing between them: not the page's footer and the next page's header
            assert any(f"{heading} {follower}" in page for page in document.pages), (case.slug, heading)
        assert document.page_of("Principle profile") == document.page_of("6. People as assets"), case.slug
    total = sum(pages.values())
    assert total >= 60
    assert pages[1] + pages[2] >= 0.85 * total, pages
    assert max(pages) <= 3, pages
