"""Discovery (catalogue/opendata/feeds.py, sitemaps.py, jsonld.py): the Atom feed, sitemap.xml, robots.txt and the
schema.org JSON-LD of a case."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from catalogue.models import CaseStudy
from tests.builders import varied_cases

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_lists_newly_published_cases_newest_first(client, principles):
    cases = varied_cases()
    CaseStudy.objects.filter(pk=cases["alpha"].pk).update(first_published_at="2026-01-01T10:00Z")
    CaseStudy.objects.filter(pk=cases["beta"].pk).update(first_published_at="2026-03-01T10:00Z")
    CaseStudy.objects.filter(pk=cases["gamma"].pk).update(first_published_at="2026-02-01T10:00Z")
    response = client.get(reverse("catalogue:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed, built in this test
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Beta breathing club", "Gamma peers", "Alpha time bank"]  # the draft is not there
    link = next(feed.iter(f"{ATOM}entry")).find(f"{ATOM}link").get("href")
    assert link == "http://testserver/case-studies/beta/"


def test_sitemap_lists_published_cases_principles_and_pages(client, principles):
    varied_cases()
    response = client.get(reverse("catalogue:sitemap"))
    assert response.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert "http://testserver/case-studies/alpha/" in locations
    assert "http://testserver/case-studies/delta/" not in locations
    assert "http://testserver/principles/peer-support-networks/" in locations
    assert "http://testserver/data/" in locations


def test_robots_txt_points_to_the_sitemap_and_keeps_admin_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_case_jsonld_is_valid_schema_org_and_safely_escaped(rf, principles):
    cases = varied_cases()
    case = cases["alpha"]
    case.title = "Alpha </script><script>alert(1)</script> & co"
    html = render_to_string("catalogue/_case_jsonld.html", {"case": case}, request=rf.get("/"))
    assert html.count("<script") == 1 and html.count("</script>") == 1
    payload = re.search(r'<script type="application/ld\+json">(.*)</script>', html, re.S).group(1)
    data = json.loads(payload)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["name"] == case.title  # escaping is undone by the JSON parser
    assert data["url"] == "http://testserver/case-studies/alpha/"
    assert data["about"]["name"] == case.lead_organisation
    [site] = data["contentLocation"]
    assert site["@type"] == "Place"
    assert site["containedInPlace"]["name"] == "London"
    assert site["containedInPlace"]["identifier"] == {
        "@type": "PropertyValue", "propertyID": "ONS GSS code", "value": "E12000007",
    }  # fmt: skip
    assert "Mental health" in data["keywords"]
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_feed_sends_summaries_as_plain_text(client, principles):
    """A summary is plain text: sent as type="text", a reader shows "A&E" and markup as typed, never runs it."""
    summary = "Fewer visits to A&E; <b>not bold</b> <script>alert(1)</script>"
    case = varied_cases()["alpha"]
    CaseStudy.objects.filter(pk=case.pk).update(summary=summary, first_published_at="2026-01-01T10:00Z")
    response = client.get(reverse("catalogue:feed"))
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed, built in this test
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.find(f"{ATOM}title").text == "Alpha time bank")
    element = entry.find(f"{ATOM}summary")
    assert element.get("type") == "text"
    assert element.text == f"New case study. {summary}"  # what a reader shows, exactly
    assert b'type="html"' not in response.content
