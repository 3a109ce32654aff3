"""What people do in a real browser: filter, remove a chip, page through, search, open a case, compare, and follow
a gap-matrix cell to the matching list. Expected results come from the same FilterSet the pages use."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict

from catalogue.explore import palette
from catalogue.filters import CaseStudyFilter
from catalogue.models import CaseStudy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shown_count(page) -> int:
    """The result count in words at the top of the list ("No case studies", "1 case study", "12 case studies")."""
    text = page.locator("#results-heading").inner_text()
    found = re.search(r"[\d,]+", text)
    return int(found.group().replace(",", "")) if found else 0


def expected(page) -> list[str]:
    """The titles the FilterSet gives for the page's own query string, in the list's order (first page)."""
    params = QueryDict(urlsplit(page.url).query)
    return list(CaseStudyFilter(params).qs.values_list("title", flat=True))


def shown_titles(page) -> list[str]:
    return page.locator(".result__title").all_inner_texts()


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def apply_filters(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").first.click()


def test_filter_by_condition_region_and_principle_then_remove_a_chip(page, catalogue):
    page.goto("/case-studies/")
    everything = shown_count(page)
    assert everything == CaseStudy.objects.published().count() > 37
    london_option = page.locator("label[for='region-london'] .facet__count")
    london_before = london_option.inner_text()

    page.check("#condition-mental-health")
    apply_filters(page)
    assert params(page)["condition"] == ["mental-health"]
    after_condition = shown_count(page)
    assert 0 < after_condition < everything
    assert after_condition == len(expected(page))
    assert shown_titles(page) == expected(page)[:20]
    # The counts beside the other filters follow the current result.
    assert london_option.inner_text() != london_before

    page.check("#region-london")
    apply_filters(page)
    after_region = shown_count(page)
    assert 0 < after_region < after_condition
    assert shown_titles(page) == expected(page)

    page.check("#principle-peer-support-networks")
    apply_filters(page)
    assert params(page)["principle"] == ["peer-support-networks"]
    after_principle = shown_count(page)
    assert 0 < after_principle <= after_region
    assert shown_titles(page) == expected(page)

    chips = page.locator(".chips .chip")
    assert chips.count() == 3
    with page.expect_navigation():
        page.locator(".chips .chip", has_text="London").click()
    assert "region" not in params(page)
    assert params(page)["condition"] == ["mental-health"]
    assert params(page)["principle"] == ["peer-support-networks"]
    assert page.locator(".chips .chip").count() == 2
    assert shown_count(page) == len(expected(page)) >= after_principle
    assert shown_titles(page) == expected(page)[:20]


def test_pages_keep_the_filters(page, catalogue):
    page.goto("/case-studies/")
    page.check("#principle-building-on-capabilities")
    apply_filters(page)
    total = shown_count(page)
    assert total > 20  # more than one page
    first_page = shown_titles(page)
    assert len(first_page) == 20
    with page.expect_navigation():
        page.locator(".pagination").get_by_role("link", name=re.compile("Next")).click()
    assert params(page)["page"] == ["2"]
    assert params(page)["principle"] == ["building-on-capabilities"]
    second_page = shown_titles(page)
    assert len(second_page) == min(20, total - 20)
    assert not set(first_page) & set(second_page)
    assert first_page + second_page == expected(page)[:40]
    chips = page.locator(".chips .chip")
    assert chips.count() == 1
    assert "Principle: Building on people's existing capabilities: 2 or stronger" in chips.first.text_content()


def test_search_then_open_a_case(page, catalogue):
    page.goto("/case-studies/")
    page.fill("#id_q", '"time bank"')
    apply_filters(page)
    assert params(page)["q"] == ['"time bank"']
    titles = shown_titles(page)
    assert "Rushey Green Time Bank" in titles
    assert len(titles) == shown_count(page) == len(expected(page)) < CaseStudy.objects.published().count()
    with page.expect_navigation():
        page.get_by_role("link", name="Rushey Green Time Bank", exact=True).first.click()
    assert urlsplit(page.url).path == "/case-studies/rushey-green-time-bank/"
    assert page.locator("h1").inner_text() == "Rushey Green Time Bank"
    assert page.locator("svg.profile-chart").count() == 1


def test_compare_two_cases_from_the_list_then_remove_and_add_one(page, catalogue):
    page.goto("/case-studies/?q=time+bank")
    page.check("#compare-rushey-green-time-bank")
    page.check("#compare-paxton-green-time-bank")
    with page.expect_navigation():
        page.get_by_role("button", name="Compare the chosen cases").click()
    assert urlsplit(page.url).path == "/compare/"
    assert sorted(params(page)["case"]) == ["paxton-green-time-bank", "rushey-green-time-bank"]
    assert page.locator("svg.profile-chart").count() == 1  # one chart, both profiles
    assert page.locator(".chart-legend li").count() == 2
    columns = page.locator("th.compare-table__case")
    assert columns.count() == 2
    assert "Rushey Green Time Bank" in columns.all_inner_texts()[0] + columns.all_inner_texts()[1]

    with page.expect_navigation():
        page.get_by_role("link", name="Remove Paxton Green Time Bank from the comparison").click()
    assert params(page)["case"] == ["rushey-green-time-bank"]
    assert page.get_by_text("Comparing needs at least two case studies").is_visible()

    page.check("#pick-keyring-living-support-networks")
    with page.expect_navigation():
        page.get_by_role("button", name="Compare", exact=True).click()
    # The chosen cases come first in the picker, so a case added there joins the comparison after them.
    assert params(page)["case"] == ["rushey-green-time-bank", "keyring-living-support-networks"]
    assert page.locator("th.compare-table__case").count() == 2


def test_a_gap_matrix_cell_leads_to_the_matching_list(page, catalogue):
    page.goto("/insights/")
    matrix = page.locator("table.gap-matrix").first
    row = matrix.locator("tbody tr", has=page.locator("th", has_text="Mental health"))
    cell = row.locator("td").nth(2)  # the third principle: peer support networks
    count = int(cell.locator(".gap-cell__count").inner_text())
    with page.expect_navigation():
        cell.get_by_role("link").click()
    assert urlsplit(page.url).path == "/case-studies/"
    assert params(page) == {"principle": ["peer-support-networks"], "condition": ["mental-health"], "min_score": ["2"]}
    assert shown_count(page) == count == len(expected(page))

    # With another minimum chosen on the insights page, the cell and the list agree again.
    page.goto("/insights/")
    page.select_option("#min-score", "3")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert params(page)["min_score"] == ["3"]
    region_matrix = page.locator("table.gap-matrix").nth(1)
    row = region_matrix.locator("tbody tr", has=page.locator("th", has_text=re.compile(r"^\s*England\b")))
    cell = row.locator("td").first  # capabilities
    count = int(cell.locator(".gap-cell__count").inner_text())
    with page.expect_navigation():
        cell.get_by_role("link").click()
    assert params(page)["principle"] == ["building-on-capabilities"] and params(page)["region"] == ["england"]
    assert params(page)["min_score"] == ["3"]
    assert shown_count(page) == count == len(expected(page))
    # The programmes covering the whole of England have a row of their own, and its cell leads to them.
    page.goto("/insights/?min_score=1")
    row = region_matrix.locator("tbody tr", has=page.locator("th", has_text="Nation-wide programmes: England"))
    cell = row.locator("td").first
    count = int(cell.locator(".gap-cell__count").inner_text())
    with page.expect_navigation():
        cell.get_by_role("link").click()
    assert params(page)["reach"] == ["nation-wide"]
    assert shown_count(page) == count == len(expected(page))


def test_every_page_is_drawn_in_the_palettes_colours(page, catalogue):
    """The site's stylesheets take every colour from palette.css: a page whose custom properties did not resolve
    would fall back to the browser's defaults (black links, unstyled buttons) and still pass the other checks."""
    for path in ["/", "/case-studies/", "/principles/", "/compare/", "/insights/", "/data/", "/no-such-page/"]:
        page.goto(path)
        accent = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
        assert accent == palette.colour("accent"), path
        header = page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomColor")
        assert header == rgb(palette.colour("accent")), path
    page.goto("/case-studies/")
    button = page.get_by_role("button", name="Apply filters").first
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == rgb(palette.colour("accent"))


def rgb(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"
