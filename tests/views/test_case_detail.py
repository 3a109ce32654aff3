"""The case page (catalogue/views/cases.py): everything about a case, the profile chart with its table, the similar
cases it lists, citation, previews for staff, and a fixed number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from catalogue.models import CaseStudy, EvidenceType, ReplyStatus, ScoreReply, Status
from catalogue.querysets import SIMILAR_MAX_DISTANCE
from tests.builders import OutcomeFigureFactory, SourceFactory, assess, complete_case, many_cases

pytestmark = pytest.mark.django_db

# The most SQL queries a case page may take, at any data size: the case with its prefetches (its sites among them)
# and the principles (8), its assessments with their scores and the organisation's approved replies (3), then the
# similar cases: one lookup per ring of profiles at distance 0, 1, ... until three are found (at most
# SIMILAR_MAX_DISTANCE + 1 rings; in a large catalogue usually one), and one load with three prefetches (their
# sites and conditions).
DETAIL_MAX_QUERIES = 8 + 3 + (SIMILAR_MAX_DISTANCE + 1) + 4


@pytest.fixture
def full_case(world, settings):
    settings.SITE_URL = "https://catalogue.example"
    case = complete_case(
        "Rushey Green Time Bank",
        slug="rushey-green-time-bank",
        region=world.regions["london"],
        conditions=[world.conditions["mental-health"], world.conditions["copd"]],
        approaches=[world.approaches["timebanks"]],
        scores=[3, 3, 3, 2, 3, 3],
        setting="community",
        summary="Patients and neighbours swap help with one another.",
        context="Isolation lies behind many visits to the GP.",
        what_they_did="Members earn one time credit for each hour they give.",
        sharing_power="Every hour counts the same, whoever gives it.",
        outcomes="No measured outcomes were found in our sources.",
        lead_organisation="Rushey Green Group Practice",
        partners="new economics foundation (nef)\nThe King's Fund\n",
        place="Catford, London Borough of Lewisham",
        start_year=2000,
        still_running=True,
        years_note="Set up in March 2000.",
        serves="Patients of the practice and local residents.",
        website="https://rgtb.example.org/",
        last_reviewed=datetime.date(2026, 3, 12),
    )
    OutcomeFigureFactory(
        case_study=case,
        statement="Members gave 5,000 hours in a year.",
        evidence_type=EvidenceType.SELF_REPORTED,
        source_title="Annual report 2012",
        source_url="https://rgtb.example.org/report",
    )
    SourceFactory(case_study=case, title="LGA case study", publisher="Local Government Association", year=2013)
    return case


def page_of(client, case) -> str:
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_everything_about_the_case(client, full_case):
    page = page_of(client, full_case)
    for text in [
        "<h1>Rushey Green Time Bank</h1>",
        "Patients and neighbours swap help with one another.",
        "Isolation lies behind many visits to the GP.",
        "Members earn one time credit for each hour they give.",
        "Every hour counts the same, whoever gives it.",
        "No measured outcomes were found in our sources.",
        "Rushey Green Group Practice",
        "<li>new economics foundation (nef)</li>",
        "<li>The King&#x27;s Fund</li>",
        "Catford, London Borough of Lewisham",
        "Since 2000",
        "Set up in March 2000.",
        "Patients of the practice and local residents.",
        '<a href="https://rgtb.example.org/" rel="noopener">https://rgtb.example.org/</a>',
    ]:
        assert text in page, text


def test_taxonomy_terms_link_to_the_filtered_list(client, full_case):
    page = page_of(client, full_case)
    assert '<a href="/places/london/">London</a>' in page  # a site's area links to its place page
    assert '<a href="/case-studies/?condition=mental-health">Mental health</a>' in page
    assert '<a href="/case-studies/?condition=copd">COPD</a>' in page
    assert '<a href="/case-studies/?approach=timebanks">Timebanks</a>' in page
    assert '<a href="/case-studies/?setting=community">Community</a>' in page


def test_the_profile_chart_is_followed_by_the_score_table_as_its_text_alternative(client, full_case):
    page = page_of(client, full_case)
    chart, table = page.index('<svg class="profile-chart" role="img"'), page.index('<table class="score-table"')
    assert chart < table
    rows = re.findall(r'<tr>\s*<th scope="row".*?</tr>', page, re.S)
    assert len(rows) == 6
    assert '<a href="/principles/building-on-capabilities/">1. Building on' in rows[0]
    assert "3</span> Defining feature" in rows[0]
    assert '<a href="/principles/blurring-distinctions/">4. Blurring' in rows[3]
    assert "2</span> Clearly present" in rows[3]
    assert "Seen plainly in how the service works." in rows[3]
    assert "Test assessor" in rows[3]


def test_outcome_figures_show_their_evidence_type_and_source(client, full_case):
    page = page_of(client, full_case)
    assert "Members gave 5,000 hours in a year." in page
    assert "Evidence: Self-reported by the organisation" in page
    assert '<a href="https://rgtb.example.org/report" rel="noopener">Annual report 2012</a>' in page


def test_sources_and_the_last_reviewed_date_in_plain_british_form(client, full_case):
    page = page_of(client, full_case)
    assert "LGA case study</a>, Local Government Association (2013)" in page
    assert '<time datetime="2026-03-12">12 March 2026</time>' in page


def test_the_cite_line_uses_the_public_site_address_and_the_review_date(client, full_case):
    page = page_of(client, full_case)
    assert (
        "Co-production Catalogue. (2026, March 12). Rushey Green Time Bank [Case study]. Last reviewed 12 March "
        "2026. https://catalogue.example/case-studies/rushey-green-time-bank/"
    ) in page
    for fmt, name in [("txt", "Plain text (APA style)"), ("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON")]:
        assert f'<a href="/case-studies/rushey-green-time-bank/cite.{fmt}" download>{name}' in page


def test_links_to_compare_and_to_the_pdf_summary(client, full_case):
    page = page_of(client, full_case)
    assert '<a href="/compare/?case=rushey-green-time-bank">Compare with other cases</a>' in page
    assert '<a href="/case-studies/rushey-green-time-bank/summary.pdf" download>Download a PDF summary' in page


def test_title_description_and_canonical(client, full_case):
    page = page_of(client, full_case)
    assert "<title>Rushey Green Time Bank - Co-production Catalogue</title>" in page
    assert '<meta name="description" content="Patients and neighbours swap help with one another.">' in page
    assert '<link rel="canonical" href="https://catalogue.example/case-studies/rushey-green-time-bank/">' in page
    assert "noindex" not in page
    assert "DRAFT" not in page


# --- who may see what ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_the_public_get_404_for_unpublished_cases(client, world, status):
    case = world.cases["foxtrot"]
    CaseStudy.objects.filter(pk=case.pk).update(status=status)
    assert client.get(case.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_staff_preview_unpublished_cases_under_a_draft_banner(editor_client, world, status):
    case = world.cases["foxtrot"]
    CaseStudy.objects.filter(pk=case.pk).update(status=status)
    response = editor_client.get(case.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert '<strong class="banner__tag">DRAFT</strong>' in page
    assert f"This case is {Status(status).label.lower()} and is not published" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "<title>Draft: Foxtrot Draft - Co-production Catalogue</title>" in page


def test_staff_see_no_banner_on_published_cases(editor_client, world):
    page = editor_client.get(world.cases["alpha"].get_absolute_url()).content.decode()
    assert "banner--draft" not in page


def test_an_unknown_case_is_a_404(client, world):
    assert client.get(reverse("catalogue:case-detail", kwargs={"slug": "no-such-case"})).status_code == 404


# --- similar cases -------------------------------------------------------------------------------------------


def test_the_page_lists_similar_cases_with_compact_profiles(client, world):
    page = page_of(client, world.cases["alpha"])
    section = page[page.index('id="similar-heading"') :]
    assert '<a href="/case-studies/echo/">Echo Peer Network</a>' in section
    assert "profile-compact" in section
    assert '<a href="/compare/?case=alpha&amp;case=echo">' in section
    assert "Charlie Recovery College" not in section


# --- speed ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 40])
def test_the_case_page_runs_in_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    many_cases(size)
    case = CaseStudy.objects.get(slug="peer-project-000")
    # Its assessments (each with its scores and rubric version) and a reply cost the same whatever their number.
    for label in ["Editor A", "Editor B", "Reviewer C"][: 1 + size % 3]:
        assess(case, [2, 2, 2, 2, 2, 2], label=label)
    ScoreReply.objects.create(case_study=case, written_by="Its coordinator", text="Thanks", status=ReplyStatus.APPROVED)
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["similar"]) >= 1
