"""axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page type; and it would notice one."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every page type, with the state that makes it busiest (filters, chips, notices, a comparison).
PAGES = {
    "home": ("/", 200),
    "list with filters": (
        "/case-studies/?condition=mental-health&condition=frailty-older-people&region=england&region=E12000001"
        "&principle=peer-support-networks&min_score=2&sort=title",
        200,
    ),
    "list with a search and a bad parameter": ("/case-studies/?q=time+bank&region=atlantis", 200),
    "list, page 2": ("/case-studies/?principle=building-on-capabilities&page=2", 200),
    "case": ("/case-studies/rushey-green-time-bank/", 200),
    "case with ratings far apart": ("/case-studies/shared-lives/", 200),
    "principles": ("/principles/", 200),
    "principle": ("/principles/peer-support-networks/", 200),
    "compare": ("/compare/?case=rushey-green-time-bank&case=expert-patients-programme&case=shared-lives", 200),
    "compare with one case": ("/compare/?case=rushey-green-time-bank", 200),
    "insights": ("/insights/?min_score=1", 200),
    "suggest a case": ("/suggest/", 200),
    "report an error": ("/case-studies/rushey-green-time-bank/report-an-error/", 200),
    "reply to the scores": ("/case-studies/shared-lives/reply/", 200),
    "map": ("/map/", 200),
    "map with filters": ("/map/?condition=dementia&programmes=exclude", 200),
    "place: a region": ("/places/north-east/", 200),
    "place: a local authority": ("/places/newcastle-upon-tyne/", 200),
    "place: a country": ("/places/australia/", 200),
    "about": ("/about/", 200),
    "how cases are assessed": ("/assessments/", 200),
    "rubric version": ("/assessments/rubric/1/", 200),
    "accessibility statement": ("/accessibility/", 200),
    "privacy notice": ("/privacy/", 200),
    "contact": ("/contact/", 200),
    "404": ("/no-such-page/", 404),
}


@pytest.mark.slow
def test_no_accessibility_violations_on_any_page_type(page, catalogue, subtests):
    # One test with a subtest per page: the catalogue is loaded once (a transactional test empties the database
    # after itself), and each page still passes or fails on its own.
    for name, (path, status) in PAGES.items():
        with subtests.test(msg=name, path=path):
            response = page.goto(path)
            assert response.status == status
            violations = axe_violations(page)
            assert violations == [], f"{name} ({path}):\n{describe(violations)}"


# The pages whose tables or charts could be wider than a phone.
NARROW_PAGES = [
    "home",
    "list with filters",
    "case with ratings far apart",
    "compare",
    "insights",
    "how cases are assessed",
    "map",
    "place: a region",
]


@pytest.mark.slow
def test_no_accessibility_violations_on_a_narrow_screen(page, catalogue, subtests):
    page.set_viewport_size({"width": 320, "height": 800})
    for name in NARROW_PAGES:
        path, status = PAGES[name]
        with subtests.test(msg=name, path=path):
            assert page.goto(path).status == status
            violations = axe_violations(page)
            assert violations == [], f"{name} at 320px ({path}):\n{describe(violations)}"


def test_the_audit_fails_on_an_unlabelled_image(page, transactional_db):
    """Proof that the audit can fail: the same page passes, then fails once an image without alt text is added."""
    page.goto("/about/")
    assert axe_violations(page) == []
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==';
            document.querySelector('main').appendChild(img);
        }"""
    )
    violations = axe_violations(page)
    assert [v["id"] for v in violations] == ["image-alt"]
