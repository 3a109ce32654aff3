"""CSV and JSON exports of any filtered list: the same cases as the page and the API, every field, streamed."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from catalogue.filters import CaseStudyFilter
from catalogue.models import CaseStudy
from catalogue.opendata.columns import columns
from tests.builders import complete_case, varied_cases
from tests.support.exported import csv_rows, json_records, streamed

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "condition=mental-health",
    "condition=mental-health&condition=copd",
    "region=england",
    "region=wales&setting=health",
    "approach=timebanks&condition=mental-health",
    "principle=peer-support-networks&min_score=3",
    "principle=building-on-capabilities&principle=mutuality-and-reciprocity&min_score=2",
    "q=breathing",
    "sort=newest",
    "sort=strength&principle=peer-support-networks",
]


def page_slugs(query: str) -> list[str]:
    """What the list page shows: the one FilterSet, given the same query string."""
    from django.http import QueryDict

    return [case.slug for case in CaseStudyFilter(QueryDict(query)).qs]


def api_slugs(client, query: str) -> list[str]:
    slugs, url = [], reverse("api:case-list") + "?" + query + "&page_size=2"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        slugs += [case["slug"] for case in response.json()["results"]]
        url = response.json()["next"]
    return slugs


@pytest.mark.parametrize("query", QUERIES)
def test_page_csv_json_and_api_select_the_same_cases_in_the_same_order(client, principles, query):
    varied_cases()
    expected = page_slugs(query)
    csv_response = client.get(reverse("catalogue:case-export-csv") + "?" + query)
    json_response = client.get(reverse("catalogue:case-export-json") + "?" + query)
    assert [row["slug"] for row in csv_rows(streamed(csv_response))] == expected
    assert [record["slug"] for record in json_records(streamed(json_response))] == expected
    assert api_slugs(client, query) == expected


def test_the_filters_really_narrow_the_selection(client, principles):
    """Guards the test above against passing because every query returns everything."""
    varied_cases()
    assert page_slugs("") == ["alpha", "beta", "gamma"]
    assert page_slugs("region=england") == ["alpha", "gamma"]
    assert page_slugs("principle=peer-support-networks&min_score=3") == ["alpha", "beta"]
    assert page_slugs("q=breathing") == ["beta"]


def test_exports_hold_only_published_cases_and_ignore_paging(client, principles):
    varied_cases()
    rows = csv_rows(streamed(client.get(reverse("catalogue:case-export-csv") + "?page=2")))
    assert {row["slug"] for row in rows} == {"alpha", "beta", "gamma"}


def test_csv_has_every_column_of_the_dictionary_with_encoded_values(client, principles):
    cases = varied_cases()
    response = client.get(reverse("catalogue:case-export-csv") + "?condition=mental-health")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(streamed(response))
    assert list(rows[0]) == [column.name for column in columns()]
    alpha = next(row for row in rows if row["slug"] == "alpha")
    assert alpha["title"] == "Alpha time bank"
    assert alpha["url"] == "http://testserver/case-studies/alpha/"
    assert (alpha["reach"], alpha["sites"], alpha["areas"]) == ("one-site", "London (E12000007)", "E12000007")
    assert alpha["conditions"] == "mental-health"
    gamma = next(row for row in rows if row["slug"] == "gamma")
    assert gamma["conditions"] == "copd;mental-health"  # semicolon-separated slugs, alphabetical
    assert gamma["approaches"] == "peer-support;timebanks"
    assert alpha["building-on-capabilities_score"] == "3"
    assert alpha["blurring-distinctions_score"] == "1"
    assert alpha["building-on-capabilities_rationale"] == "Seen plainly in how the service works."
    assert alpha["building-on-capabilities_assessed_by"] == "Test assessor"
    published = cases["alpha"].first_published_at.astimezone(datetime.UTC).isoformat(timespec="seconds")
    assert alpha["first_published_at"] == published
    figures = json.loads(alpha["outcome_figures"])  # a JSON array starts with "[", never neutralised
    assert figures[0]["statement"] == "=1+1 admissions fell"
    assert [f["statement"] for f in figures] == ["=1+1 admissions fell", "Second figure"]
    sources = json.loads(alpha["sources"])
    assert sources[-1] == {"title": "@risk report", "publisher": "", "year": None, "url": ""}


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, principles):
    complete_case(title="=HYPERLINK(\"http://127.0.0.1:9/\",\"x\")", slug="evil", summary="+SUM(A1)",
                  place="-2+3", lead_organisation="@cmd", years_note="'quoted")  # fmt: skip
    row = csv_rows(streamed(client.get(reverse("catalogue:case-export-csv"))))[0]
    assert row["title"] == '\'=HYPERLINK("http://127.0.0.1:9/","x")'
    assert row["summary"] == "'+SUM(A1)"
    assert row["place"] == "'-2+3"
    assert row["lead_organisation"] == "'@cmd"
    assert row["years_note"] == "''quoted"  # so that removing one apostrophe gives the text back exactly


def test_json_export_records_are_the_api_case_detail(client, principles):
    varied_cases()
    response = client.get(reverse("catalogue:case-export-json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(streamed(response))
    assert document["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    records = {record["slug"]: record for record in document["case_studies"]}
    detail = client.get(reverse("api:case-detail", kwargs={"slug": "alpha"})).json()
    assert records["alpha"] == detail
    assert [s["principle"] for s in detail["scores"]][:2] == ["building-on-capabilities", "mutuality-and-reciprocity"]
    assert detail["outcome_figures"][0]["statement"] == "=1+1 admissions fell"  # JSON is not neutralised


def test_json_export_of_nothing_is_valid_json(client, principles):
    document = json.loads(streamed(client.get(reverse("catalogue:case-export-json") + "?q=nothingmatches")))
    assert document["case_studies"] == []


@pytest.mark.parametrize("name", ["catalogue:case-export-csv", "catalogue:case-export-json"])
def test_export_queries_do_not_grow_with_the_number_of_cases(client, principles, django_assert_max_num_queries, name):
    for number in range(3):
        complete_case(slug=f"small-{number}")
    with django_assert_max_num_queries(12):
        streamed(client.get(reverse(name)))
    for number in range(30):
        complete_case(slug=f"large-{number}")
    with django_assert_max_num_queries(12):
        data = streamed(client.get(reverse(name)))
    assert data.count(b"large-29") >= 1


@pytest.mark.parametrize(("query", "parameter"), [
    ("min_score=99", "min_score"), ("sort=%01", "sort"), ("q=" + "x" * 5000, "q"), ("principle=<script>", "principle"),
    ("condition=nonsense&min_score=banana", "condition"), ("regoin=wales", "regoin"),
    ("sort=title&sort=newest", "sort"),
])  # fmt: skip
@pytest.mark.parametrize("name", ["catalogue:case-export-csv", "catalogue:case-export-json"])
def test_an_export_refuses_what_it_does_not_understand_naming_the_parameter(client, principles, name, query,
                                                                            parameter):  # fmt: skip
    """A script must never take every case for the answer to a query with a typo (the page shows a notice)."""
    varied_cases()
    response = client.get(reverse(name) + "?" + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert parameter in response.json()


def test_an_export_takes_an_empty_filter_as_no_filter_and_refuses_a_nul(client, principles):
    varied_cases()
    response = client.get(reverse("catalogue:case-export-csv") + "?region=&q=")
    assert {row["slug"] for row in csv_rows(streamed(response))} == {"alpha", "beta", "gamma"}
    # A NUL is refused before any view runs (config/middleware.py): PostgreSQL cannot compare text with one.
    assert client.get(reverse("catalogue:case-export-csv") + "?sort=%00").status_code == 400


def test_exports_refuse_posts(client):
    assert client.post(reverse("catalogue:case-export-csv")).status_code == 405


def test_data_links_keep_the_filters_the_page_uses_but_not_the_page_or_what_it_ignored(client, principles):
    varied_cases()
    page = client.get(reverse("catalogue:case-list") + "?region=wales&condition=copd&condition=nonsense&regoin=x")
    html = page.content.decode()
    assert 'href="/case-studies/export.csv?condition=copd&amp;region=wales"' in html
    assert 'href="/case-studies/export.json?condition=copd&amp;region=wales"' in html
    assert "this case study" in html
    assert client.get("/case-studies/export.csv?condition=copd&region=wales").status_code == 200


def test_data_dictionary_page_describes_every_column_and_the_licence(client, principles):
    response = client.get(reverse("catalogue:data"))
    assert response.status_code == 200
    page = response.content.decode()
    for column in columns():
        assert f"<code>{column.name}</code>" in page
    assert "CC BY 4.0" in page
    assert "Defining feature" in page
    for name in ["catalogue:case-export-csv", "catalogue:case-export-json", "api:api-root", "api:schema", "api:docs"]:
        assert f'href="{reverse(name)}' in page


def test_export_catalogue_writes_csv_json_and_dictionary(tmp_path, principles):
    from io import StringIO

    from django.core.management import call_command

    varied_cases()
    out = StringIO()
    call_command("export_catalogue", str(tmp_path / "dump"), "--base-url", "https://example.org", stdout=out)
    rows = csv_rows((tmp_path / "dump" / "coproduction-case-studies.csv").read_bytes())
    assert [row["slug"] for row in rows] == ["alpha", "beta", "gamma"]
    assert rows[0]["url"] == "https://example.org/case-studies/alpha/"
    records = json_records((tmp_path / "dump" / "coproduction-case-studies.json").read_bytes())
    assert [r["slug"] for r in records] == ["alpha", "beta", "gamma"]
    dictionary = (tmp_path / "dump" / "data-dictionary.html").read_text()
    assert "building-on-capabilities_rationale" in dictionary and "CC BY 4.0" in dictionary
    assert "Wrote 3 case studies" in out.getvalue()
    assert CaseStudy.objects.count() == 4
