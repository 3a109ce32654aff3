"""The about page and the friendly error pages."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from catalogue.models import Status
from principles.models import Score
from tests.builders import complete_case


@pytest.mark.django_db
def test_about_explains_the_scale_and_that_scores_are_the_catalogues_own(client):
    complete_case()
    response = client.get(reverse("catalogue:about"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "in the spirit of exploration rather than judgement" in html
    assert "this catalogue's own assessment" in html.replace("&#x27;", "'")
    for level in Score:
        assert f'<th scope="row">{level.label}</th><td>{level.meaning}</td>' in html
    assert "People Powered Health Co-production Catalogue" in html and "April 2012" in html
    assert 'id="sources"' in html
    assert "It holds 1 published case study, from the UK and beyond." in html


@pytest.mark.django_db
def test_about_counts_several_published_cases_in_the_plural_and_leaves_out_drafts(client):
    complete_case()
    complete_case()
    complete_case(status=Status.DRAFT)
    html = client.get(reverse("catalogue:about")).content.decode()
    assert "It holds 2 published case studies, from the UK and beyond." in html


@pytest.mark.django_db
def test_an_unknown_address_gets_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert f'action="{reverse("catalogue:case-list")}"' in html
    assert '<label for="not-found-q">' in html


def test_the_500_page_renders_without_a_request_context_or_database():
    """No django_db mark: any database access here would fail the test."""
    html = render_to_string("500.html")
    assert "Sorry, something went wrong" in html
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Sorry, something went wrong" in response.content
