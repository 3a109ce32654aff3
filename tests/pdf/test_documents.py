"""PDF summaries of one case and booklets of a selection: what they say, who may see them, how they read."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from catalogue.models import CaseStudy, Status
from catalogue.pdf import documents
from tests.builders import (
    OutcomeFigureFactory,
    RegionFactory,
    SourceFactory,
    complete_case,
    time_bank_case,
)
from tests.pdf import BOOKLET_URL, summary_url
from tests.support.pdfread import read_pdf

pytestmark = pytest.mark.django_db


# The time bank case of builders.time_bank_case, scored at every level of the scale.
SCORES = [3, 2, 1, 0, 3, 2]


# --- one case ------------------------------------------------------------------------------------------------


def test_summary_is_a_download_named_after_the_case(client, principles):
    case = time_bank_case(scores=SCORES)
    response = client.get(summary_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rushey-green-time-bank.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_summary_says_everything_the_issue_lists(client, principles, settings):
    case = time_bank_case(scores=SCORES)
    document = read_pdf(client.get(summary_url(case)).content)
    text = document.text
    for expected in [
        "Rushey Green Time Bank",
        "Rushey Green Group Practice, with new economics foundation (nef), The King's Fund",
        "Catford (London)",
        "Since 2000",
        "Loneliness and isolation",
        "Timebanks",
        "an hour given earns an hour of help in return",
        # the score table: every principle, its score and label, and the rationale
        "1. Building on people's existing capabilities",
        "3 Defining feature",
        "2 Clearly present",
        "1 Emerging",
        "0 Not evident",
        "Seen plainly in how the service works.",
        # outcome figures with evidence type and source
        "GP visits fell by a fifth among members.",
        "Cohort or audit data",
        "Practice audit 2012",
        # sources, citation with the case's address, last reviewed
        "Time banking in primary care. nef (2008).",
        f"{settings.SITE_URL}/case-studies/rushey-green-time-bank/",
        f"Last reviewed {case.last_reviewed:%-d %B %Y}",
        "Page 1 of",
    ]:
        assert expected in text, expected
    # the chart's own labels (the SVG partial) are there too, as text
    assert "6. People as assets" in text
    assert len(document.pages) <= 2


def test_summary_says_what_they_did_how_power_is_shared_and_whom_to_contact(client, principles, settings):
    case = time_bank_case(
        what_they_did="Members log every hour they give in the practice's time bank.",
        sharing_power="Members choose the swaps on offer and sit on the steering group.",
        website="https://rushey-green.test/time-bank/",
    )
    document = read_pdf(client.get(summary_url(case)).content)
    text = document.text
    for expected in [
        "What they did Members log every hour they give in the practice's time bank.",
        "How people share power Members choose the swaps on offer and sit on the steering group.",
        "https://rushey-green.test/time-bank/, Rushey Green Group Practice",  # under "Contact"
        "Something wrong or out of date? Report it at",
    ]:
        assert expected in text, expected
    report = f"{settings.SITE_URL}/case-studies/rushey-green-time-bank/report-an-error/"
    assert {"https://rushey-green.test/time-bank/", report} <= set(document.link_targets())


def test_summary_without_a_website_says_whom_to_ask(client, principles):
    case = time_bank_case(website="", what_they_did="", sharing_power="")
    text = read_pdf(client.get(summary_url(case)).content).text
    assert "No website known: ask Rushey Green Group Practice" in text
    assert "What they did" not in text and "How people share power" not in text  # no empty headings


def test_every_page_has_the_running_header_page_x_of_y_and_the_case_address(client, principles, settings):
    case = time_bank_case(scores=SCORES)
    for number in range(8):
        SourceFactory(case_study=case, title=f"Further reading number {number} on time banks and health " * 3)
    pages = read_pdf(client.get(summary_url(case)).content).pages
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert f"{settings.SITE_URL}/case-studies/rushey-green-time-bank/" in text
        if number > 1:
            assert "Co-production Catalogue" in text


def test_unknown_slug_is_404(client, principles):
    assert client.get("/case-studies/no-such-case/summary.pdf").status_code == 404


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_unpublished_cases_are_404_to_the_public(client, principles, status):
    case = complete_case(status=status)
    assert client.get(summary_url(case)).status_code == 404


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_staff_preview_unpublished_cases_marked_draft_on_every_page(editor_client, principles, status):
    case = complete_case(status=status, title="Unfinished Case")
    for number in range(10):
        SourceFactory(case_study=case, title=f"A long list of sources, number {number}, to fill a page " * 3)
    response = editor_client.get(summary_url(case))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    pages = read_pdf(response.content).pages
    assert len(pages) >= 2
    for text in pages:
        assert "DRAFT: not published" in text


def test_published_summary_is_not_marked_draft(client, principles):
    case = time_bank_case(scores=SCORES)
    response = client.get(summary_url(case))
    assert "DRAFT" not in read_pdf(response.content).text
    assert response["Cache-Control"] == "no-cache"


def test_summary_is_a_tagged_pdf_with_title_author_and_language(client, principles):
    case = time_bank_case(scores=SCORES)
    document = read_pdf(client.get(summary_url(case)).content)
    catalog = document.catalog
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert document.metadata.title == "Rushey Green Time Bank: case study summary - Co-production Catalogue"
    assert document.metadata.author == "Co-production Catalogue"
    roles = document.structure()
    for role in ["/Document", "/H1", "/H2", "/Table", "/TH", "/TD", "/L", "/LI", "/Link"]:
        assert any(found == role for found, _ in roles), role
    # The chart is a figure whose alternative text names it; the score table after it carries its data.
    assert ("/Figure", "Principle profile of Rushey Green Time Bank") in roles


def test_summary_uses_the_installed_humanist_font_not_a_fallback(client, principles):
    case = time_bank_case(scores=SCORES)
    fonts = read_pdf(client.get(summary_url(case)).content).font_names()
    assert any("Open-Sans" in name for name in fonts), f"{fonts}: is fonts-open-sans installed?"
    assert not any("Serif" in name for name in fonts), fonts


def test_no_table_row_is_split_and_headings_stay_with_what_follows(client, principles):
    case = time_bank_case(scores=SCORES)
    sentence = "People who joined felt less alone after six months and saw their doctor less often than before. "
    statements = [f"Figure {number:02d}: {sentence * 5}".strip() for number in range(12)]
    for position, statement in enumerate(statements):
        OutcomeFigureFactory(case_study=case, statement=statement, position=position + 1)
    document = read_pdf(client.get(summary_url(case)).content)
    assert len(document.pages) >= 3
    for statement in statements:
        # each row's whole text is on one page
        assert any(statement in page for page in document.pages), statement
    heading_page = document.page_of("Outcome figures")
    assert "GP visits fell by a fifth among members." in document.pages[heading_page - 1]


@pytest.mark.slow
def test_no_heading_is_left_at_the_foot_of_a_page(principles):
    """Summaries of growing length move each heading down the page; none is ever parted from what follows."""
    case = time_bank_case(scores=SCORES)
    for number in range(4):
        SourceFactory(case_study=case, title=f"Source number {number} about the service")
    sentence = "The service grew as more neighbours joined and offered their time to each other in turn. "
    for extra in range(0, 24, 2):
        CaseStudy.objects.filter(pk=case.pk).update(summary=sentence * (4 + extra))
        loaded = CaseStudy.objects.all().with_everything().get(pk=case.pk)
        document = read_pdf(documents.case_summary(loaded).content)
        for heading, follower in [
            ("Summary", "The service grew"),
            ("Principle profile", "1. Capabilities"),
            ("Outcome figures", "GP visits fell by a fifth among members."),
            ("Sources", "Time banking in primary care"),
            ("Cite or correct this case study", "Co-production Catalogue. ("),
        ]:
            assert document.page_of(heading) == document.page_of(follower), (extra, heading)


def test_pdf_links_include_links_a_case_and_the_filtered_list(principles):
    case = time_bank_case(scores=SCORES)
    html = render_to_string("catalogue/_pdf_links.html", {"case": case})
    assert f'href="{summary_url(case)}"' in html
    assert "Download a PDF summary of this case study" in html

    request = RequestFactory().get("/case-studies/", {"region": "london", "page": "2"})
    html = render_to_string("catalogue/_pdf_links.html", {"case_count": 12}, request=request)
    assert 'href="/case-studies/catalogue.pdf?region=london"' in html
    assert "these 12 case studies as a PDF booklet" in html

    html = render_to_string("catalogue/_pdf_links.html", {"case_count": 101}, request=request)
    assert "catalogue.pdf" not in html
    assert "at most 100 case studies" in html


# --- booklets ------------------------------------------------------------------------------------------------

NAMES = ["Alpha Time Bank", "Bravo Recovery College", "Charlie Clubhouse", "Delta Peer Support", "Echo Circle"]


def booklet_cases(names=NAMES, **fields):
    return [complete_case(name, **fields) for name in names]


def test_booklet_has_cover_guide_contents_and_each_case_from_a_new_page(client, principles, settings, time_machine):
    cases = booklet_cases()
    # Half past midnight on 13 July in London (British Summer Time), still 12 July in UTC: the site's own date counts.
    time_machine.move_to(datetime.datetime(2026, 7, 12, 23, 30, tzinfo=datetime.UTC), tick=False)
    response = client.get(BOOKLET_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="co-production-catalogue-2026-07-13.pdf"'
    document = read_pdf(response.content)
    cover = document.pages[0]
    assert "Case studies of co-production" in cover
    assert "5 case studies" in cover
    assert "All published case studies (no filters chosen)" in cover
    assert "Made on 13 July 2026 from the live catalogue." in cover
    assert "How to read the scores" in document.pages[1]
    assert "Defining feature" in document.pages[1]

    entries = document.contents_entries()
    assert list(entries) == NAMES  # every case, in the list's order
    for case in cases:
        number = entries[case.title]
        page = document.pages[number - 1]
        assert case.title in page
        assert f"{settings.SITE_URL}{case.get_absolute_url()}" in page
        others = [other.title for other in cases if other != case]
        assert not any(other in page for other in others), f"{case.title} shares page {number}"
        assert document.page_of(case.title + " http") == number  # first appearance of its heading
    assert max(entries.values()) < len(document.pages) + 1
    assert f"of {len(document.pages)}" in document.pages[-1]


def test_booklet_uses_the_lists_filters_and_names_them_on_the_cover(client, principles):
    london = RegionFactory(slug="london", name="London")
    wales = RegionFactory(slug="wales", name="Wales", kind="nation", code="W92000004")
    booklet_cases(NAMES[:2], region=london)
    booklet_cases(NAMES[2:4], region=wales)
    booklet_cases(NAMES[4:], region=london, status=Status.DRAFT)  # never in a public booklet

    document = read_pdf(client.get(BOOKLET_URL, {"region": ["london", "atlantis"]}).content)
    assert list(document.contents_entries()) == NAMES[:2]
    cover = document.pages[0]
    assert "2 case studies" in cover
    assert "Place: London" in cover
    assert "atlantis" not in cover and "ignored" not in cover  # only the cleaned selection: see fingerprints
    assert "/case-studies/?region=london" in cover
    assert "DRAFT" not in document.text


def test_booklet_with_no_matching_cases_explains_itself(client, principles):
    booklet_cases(NAMES[:1])
    response = client.get(BOOKLET_URL, {"q": "zzzz-nothing-like-this"})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "No case studies match" in page
    assert "Search: “zzzz-nothing-like-this”" in page
    assert 'href="/case-studies/?q=zzzz-nothing-like-this"' in page


def test_booklet_above_the_limit_is_refused_with_how_to_narrow_it(client, principles, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BOOKLET_CASES", 2)
    booklet_cases(NAMES[:3])
    response = client.get(BOOKLET_URL)
    assert response.status_code == 400
    page = response.content.decode()
    assert "These filters match 3 case studies. A PDF booklet holds at most 2" in page
    assert "Narrow the selection" in page
    assert not response.content.startswith(b"%PDF")


def test_booklet_survives_bad_query_parameters(client, principles):
    booklet_cases(NAMES[:1])
    response = client.get(BOOKLET_URL, {"min_score": "eleven", "sort": "<script>", "principle": "nope"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_booklet_is_tagged_with_title_author_and_language(client, principles):
    booklet_cases(NAMES[:2])
    document = read_pdf(client.get(BOOKLET_URL).content)
    assert "/StructTreeRoot" in document.catalog
    assert document.catalog["/Lang"] == "en-GB"
    assert document.metadata.title == "Case studies of co-production - Co-production Catalogue"
    assert document.metadata.author == "Co-production Catalogue"


# --- admin ---------------------------------------------------------------------------------------------------


def test_admin_action_downloads_the_selection_with_drafts_marked_on_every_page(editor_client, principles):
    published = booklet_cases(NAMES[:1])[0]
    draft = booklet_cases(NAMES[1:2], status=Status.DRAFT)[0]
    for number in range(10):
        SourceFactory(case_study=draft, title=f"A long list of sources, number {number}, to fill a page " * 3)
    booklet_cases(NAMES[2:3])  # not selected
    response = editor_client.post(
        reverse("admin:catalogue_casestudy_changelist"),
        {"action": "download_pdf_booklet", "_selected_action": [published.pk, draft.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    document = read_pdf(response.content)
    assert list(document.contents_entries()) == [NAMES[0], f"{NAMES[1]} (DRAFT)"]
    assert "Includes 1 draft" in document.pages[0]
    first, second = document.contents_entries().values()
    for number, text in enumerate(document.pages, start=1):
        assert ("DRAFT: not published" in text) == (number >= second), number
    assert len(document.pages) > second  # the draft runs over more than one page, each marked
    assert "DRAFT: not published" not in document.pages[first - 1]


def test_admin_action_refuses_a_selection_above_the_limit(editor_client, principles, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BOOKLET_CASES", 1)
    cases = booklet_cases(NAMES[:2])
    response = editor_client.post(
        reverse("admin:catalogue_casestudy_changelist"),
        {"action": "download_pdf_booklet", "_selected_action": [case.pk for case in cases]},
        follow=True,
    )
    assert response.status_code == 200
    assert "A PDF holds at most 1 case studies: select fewer." in response.content.decode()


def test_admin_action_is_for_staff_only(client, principles):
    case = booklet_cases(NAMES[:1])[0]
    user = get_user_model().objects.create_user("member", password="pw")
    client.force_login(user)
    response = client.post(
        reverse("admin:catalogue_casestudy_changelist"),
        {"action": "download_pdf_booklet", "_selected_action": [case.pk]},
    )
    assert response.status_code == 302
    assert not response.content.startswith(b"%PDF")
