"""Places in a real browser: a commissioner in the North East finds the UK-wide programmes too and can leave them
out; a district on the map leads to the list of exactly the cases it counts; nothing scrolls sideways."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_flows import apply_filters, expected, params, shown_count, shown_titles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_north_east_finds_its_own_cases_and_the_programmes_covering_it_then_leaves_them_out(page, catalogue):
    page.goto("/case-studies/")
    page.check("#region-north-east")
    apply_filters(page)
    with_programmes = shown_count(page)
    assert with_programmes == len(expected(page))
    breakdown = page.locator(".results__breakdown").inner_text()
    local, programmes = (int(n) for n in re.findall(r"\d+", breakdown)[:2])
    assert local + programmes == with_programmes and programmes > 0
    assert page.locator(".result__region--wide", has_text="UK-wide programme").count() >= 1

    page.check("#programmes-exclude")
    apply_filters(page)
    assert params(page)["programmes"] == ["exclude"]
    assert shown_count(page) == local == len(expected(page))
    assert page.locator(".result__region--wide").count() == 0
    assert shown_titles(page) == expected(page)[:20]


def test_a_district_on_the_map_opens_the_list_of_the_cases_it_counts(page, catalogue):
    page.goto("/map/")
    newcastle = page.locator("a.hexmap__hex[aria-label^='Newcastle upon Tyne:']")
    counted = int(re.search(r"(\d+) case stud", newcastle.get_attribute("aria-label")).group(1))
    assert counted > 0
    newcastle.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert params(page)["region"] == ["E08000021"] and params(page)["programmes"] == ["exclude"]
    assert shown_count(page) == counted == len(expected(page))
