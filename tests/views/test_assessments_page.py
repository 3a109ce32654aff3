"""/assessments/ ("How cases are assessed") and /assessments/rubric/<number>/: the process, the rubric and its
versions, and agreement figures computed from the stored assessments (a changed rating changes the page)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from catalogue.models import AssessmentScore, AssessorRole
from principles import rubric
from principles.models import Principle
from tests.builders import assess, complete_case, make_principles, rubric_version

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:assessments")


@pytest.fixture
def rated():
    """Two published cases rated by Editors A and B: the twelve pairs of tests/explore/test_agreement.py, where
    the figures are worked out by hand (kappa 44/65 = 0.68, alpha 0.61, 8 of 12 the same (67%), 11 within one
    (92%), 1 two or more apart: the second case's Capabilities, A 3 and B 1). A lived-experience review that
    disagrees with everything is not counted."""
    first, second = complete_case(title="First scheme"), complete_case(title="Second scheme")
    assess(first, (3, 3, 2, 2, 1, 0), label="Editor A")
    assess(first, (2, 3, 1, 2, 1, 0), label="Editor B")
    assess(second, (3, 2, 3, 3, 2, 1), label="Editor A")
    assess(second, (1, 2, 2, 3, 2, 1), label="Editor B")
    assess(first, (0, 0, 0, 0, 3, 3), label="Reviewer 1", role=AssessorRole.LIVED_EXPERIENCE)
    return first, second


def overall_row(html: str) -> str:
    return html.split("<tfoot>")[1].split("</tfoot>")[0]


def test_the_page_shows_the_figures_computed_from_the_assessments(client, rated):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>How cases are assessed</h1>" in html
    row = overall_row(html)
    assert '<td class="num">2</td>' in row  # cases
    assert "0.61" in row and "0.68" in row and "substantial" in row
    assert "67%" in row and "92%" in row and "1 of 12" in row
    assert "same score in 67% of the 12 pairs of scores" in html and "within one point of each other in 92%" in html
    assert "1 of the 12 was 2 or more points apart" in html
    assert "the first editor scored 0.4 points higher than the second" in html
    assert "never typed in" in html
    assert "is in the band read as substantial agreement" in html


def test_changing_one_rating_changes_the_figures_on_the_page(client, rated, settings):
    settings.CATALOGUE_PAGE_CACHE = True  # the stored page must be replaced too
    assert "1 of 12" in overall_row(client.get(URL).content.decode())
    assert client.get(URL)["X-Page-Cache"] == "hit"
    score = AssessmentScore.objects.get(
        assessment__case_study=rated[1], assessment__label="Editor B", principle__slug="building-on-capabilities"
    )
    score.score = 3  # A gave 3: now the same
    score.save()
    response = client.get(URL)
    assert response["X-Page-Cache"] == "miss"
    row = overall_row(response.content.decode())
    assert "0 of 12" in row and "75%" in row and "100%" in row and "1 of 12" not in row


def test_each_principle_has_a_row_and_an_accessible_confusion_table(client, rated):
    html = client.get(URL).content.decode()
    for principle in Principle.objects.all():
        assert f'<caption id="confusion-{principle.slug}">' in html
        assert f'href="{principle.get_absolute_url()}"' in html
    assert '<caption id="confusion-all">' in html
    assert html.count("""<th scope="colgroup" colspan="4">Second editor's score</th>""") == 7
    assert '<th scope="row"><span class="score-badge score-3">3</span> Defining feature</th>' in html
    # Capabilities, A's 3 against B's 1 in the second case: row 3, column 1 holds 1.
    capabilities = html.split('<caption id="confusion-building-on-capabilities">')[1].split("</table>")[0]
    defining = capabilities.split("Defining feature</th>")[1].split("</tr>")[0]
    assert re.findall(r'<td class="num[^"]*">(\d+)', defining) == ["0", "1", "1", "0"]


def test_with_nothing_double_rated_the_figures_are_not_defined(client, principles):
    assess(complete_case(title="Once rated scheme"), (1, 2, 3, 2, 1, 0), label="Editor A")
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No published case study has been rated by two editors yet" in html
    assert "not defined" in overall_row(html)


def test_the_process_and_the_roles_are_explained(client, principles):
    html = client.get(URL).content.decode()
    for role in AssessorRole:
        assert f"<dt>{escape(role.label)}</dt>" in html
    assert "neither sees the other's scores" in html
    assert "never averaged into the agreed score" in html
    assert "needs 2 independent editor assessments" in html


@pytest.fixture
def two_versions():
    """Version 1 from the level texts as built; version 2 after Capabilities' level 3 text was sharpened."""
    first = rubric_version()
    principle = Principle.objects.get(slug="building-on-capabilities")
    principle.level_3 = "People's skills run the service. For example, a peer-run recovery college."
    principle.save()
    second = rubric.record_version("Capabilities at 3 now needs people's skills to run the service.")
    return first, second


def test_the_page_shows_the_current_rubric_and_links_earlier_versions(client, two_versions):
    first, second = two_versions
    html = client.get(URL).content.decode()
    assert f'<a href="{second.get_absolute_url()}">rubric version 2</a>' in html
    assert escape(second.summary) in html
    assert "People&#x27;s skills run the service." in html
    assert f'<a href="{first.get_absolute_url()}">Rubric version 1</a>' in html
    for principle in Principle.objects.all():
        for _level, text in second.levels_of(principle):
            assert escape(text) in html


def test_a_rubric_version_page_shows_that_versions_texts(client, two_versions):
    first, second = two_versions
    response = client.get(first.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Rubric version 1</h1>" in html
    assert "The heart of the work." in html and "People&#x27;s skills run the service." not in html
    assert "This is not the current version." in html
    assert f'<a href="{second.get_absolute_url()}">Version 2</a>' in html
    current = client.get(second.get_absolute_url()).content.decode()
    assert "This is the version in use now." in current and "People&#x27;s skills run the service." in current


@pytest.mark.parametrize("number", ["3", "0", "32768", "99999999999999999999999"])
def test_an_unknown_rubric_version_is_not_found(client, two_versions, number):
    assert client.get(f"/assessments/rubric/{number}/").status_code == 404


def test_the_footer_and_the_principle_pages_link_here(client, principles):
    footer_link = f'<a href="{URL}">How cases are assessed</a>'
    assert footer_link in client.get(reverse("catalogue:home")).content.decode().split("<footer")[1]
    for page in [reverse("catalogue:principle-list"), principles[0].get_absolute_url()]:
        body, footer = client.get(page).content.decode().split("<footer")
        assert f'href="{URL}' in body.split("<main")[1] and footer_link in footer


def test_the_page_costs_the_same_queries_however_many_cases(client, principles, django_assert_max_num_queries):
    make_principles()
    rubric_version()

    def add_cases(count: int) -> None:
        for n in range(count):
            case = complete_case()
            assess(case, (n % 4,) * 6, label="Editor A")
            assess(case, (3 - n % 4,) * 6, label="Editor B")

    add_cases(2)
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    add_cases(6)
    with django_assert_max_num_queries(10) as many:
        client.get(URL)
    assert len(many.captured_queries) == len(few.captured_queries)
