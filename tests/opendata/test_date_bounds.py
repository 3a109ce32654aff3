"""Every date and time the catalogue accepts is within 1900-2100 (catalogue/dates.py): the import refuses one
outside with its row and column, an offset that pushes a value past what Python can hold is refused rather than
crashing, the admin's forms refuse one, and the database refuses whatever gets past them (on SQLite and on
PostgreSQL, which would store year 10000 and then answer 500 on every page that reads it)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalogue import dates
from catalogue.models import CaseStudy, PrincipleScore
from catalogue.opendata import codecs, importing
from tests.builders import complete_case, varied_cases
from tests.support.exported import csv_rows, streamed, to_csv
from tests.support.formdata import read_form

pytestmark = pytest.mark.django_db

OUT_OF_RANGE_DATETIMES = [
    "9999-12-31T23:59:59-14:00",  # year 10000 in UTC: astimezone() overflows
    "0001-01-01T00:00:00+14:00",  # year 0 in UTC
    "2101-01-01T00:00:00+00:00",
    "1899-12-31T23:59:59+00:00",
    "2100-12-31T23:00:00-01:00",  # 2101 in UTC
]


@pytest.mark.parametrize("text", OUT_OF_RANGE_DATETIMES)
def test_a_date_and_time_outside_the_window_is_refused_in_words(text):
    with pytest.raises(codecs.CellError, match=r"outside the dates and times the catalogue accepts \(1900 to 2100"):
        codecs.DateTime().decode(text)


@pytest.mark.parametrize("text", ["1900-01-01T00:00:00+00:00", "2100-12-31T23:59:59+00:00", "2026-03-12T09:30"])
def test_the_edges_of_the_window_are_accepted(text):
    assert dates.datetime_problem(codecs.DateTime().decode(text)) is None


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01", "31/12/9999"])
def test_a_date_outside_the_window_is_refused_in_words(text):
    with pytest.raises(codecs.CellError, match="outside the dates the catalogue accepts"):
        codecs.Date().decode(text)


@pytest.fixture
def rows(client, principles):
    varied_cases()
    exported = csv_rows(streamed(client.get(reverse("catalogue:case-export-csv"))))
    CaseStudy.objects.all().delete()
    return exported


@pytest.mark.parametrize("text", OUT_OF_RANGE_DATETIMES[:2])
def test_the_import_refuses_it_with_row_and_column_and_writes_nothing(rows, text):
    rows[0]["first_published_at"] = text
    rows[1]["last_reviewed"] = "9999-12-31"
    score = next(name for name in rows[2] if name.endswith("_assessed_on"))
    rows[2][score] = "0001-01-01"
    plan = importing.read(to_csv(rows), publish=True)
    problems = [str(p) for p in plan.problems]
    assert len(problems) == 3, problems
    assert problems[0].startswith("row 2, column first_published_at (")
    assert "outside the dates and times the catalogue accepts" in problems[0]
    assert problems[1].startswith("row 3, column last_reviewed (")
    assert problems[2].startswith(f"row 4, column {score} (")
    assert not CaseStudy.objects.exists()


def test_the_admin_import_shows_the_problem_and_saves_nothing(editor_client, rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows[0]["first_published_at"] = OUT_OF_RANGE_DATETIMES[0]
    upload = SimpleUploadedFile("cases.csv", to_csv(rows), content_type="text/csv")
    response = editor_client.post(reverse("admin:catalogue_casestudy_import"), {"file": upload, "publish": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be imported" in page and "Confirm the import" not in page
    assert "first_published_at" in page
    assert "9999-12-31T23:59:59-14:00 is outside the dates and times the catalogue accepts" in page
    assert not CaseStudy.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("last_reviewed", "9999-12-31", "outside the dates the catalogue accepts"),
        ("start_year", "1066", "1066 is not a plausible year"),
        ("end_year", "30000", "30000 is not a plausible year"),
        ("scores-0-assessed_on", "0001-01-01", "outside the dates the catalogue accepts"),
    ],
)
def test_the_admin_form_refuses_a_date_outside_the_window(editor_client, principles, field, value, message):
    case = complete_case(title="Alpha", slug="alpha")
    url = reverse("admin:catalogue_casestudy_change", args=[case.pk])
    before = stored_dates(case)
    data = read_form(editor_client.get(url).content.decode(), form_id="casestudy_form")
    data[field] = [value]
    data["still_running"] = ["unknown"] if field == "end_year" else data.get("still_running", ["unknown"])
    response = editor_client.post(url, data)
    assert response.status_code == 200  # the form again, with the message
    assert message in response.content.decode()
    assert stored_dates(case) == before


def stored_dates(case) -> list:
    fields = CaseStudy.objects.filter(pk=case.pk).values_list("last_reviewed", "start_year", "end_year")
    return [*fields, *PrincipleScore.objects.filter(case_study=case).values_list("assessed_on", flat=True)]


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (CaseStudy, "first_published_at", datetime.datetime(2101, 1, 1, tzinfo=datetime.UTC)),
        (CaseStudy, "first_published_at", datetime.datetime(1899, 12, 31, tzinfo=datetime.UTC)),
        (CaseStudy, "last_reviewed", datetime.date(2101, 1, 1)),
        (CaseStudy, "start_year", 2101),
        (CaseStudy, "end_year", 9999),
        (CaseStudy, "created_at", datetime.datetime(1899, 1, 1, tzinfo=datetime.UTC)),
        (PrincipleScore, "assessed_on", datetime.date(1, 1, 1)),
    ],
)
def test_the_database_refuses_what_the_site_cannot_show(principles, model, field, value):
    case = complete_case(title="Alpha", slug="alpha")
    rows = model.objects.filter(pk=case.pk) if model is CaseStudy else model.objects.filter(case_study=case)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(**{field: value})


def test_the_bounds_are_in_one_place():
    assert codecs.YEAR_MIN == dates.YEAR_MIN == 1900 and codecs.YEAR_MAX == dates.YEAR_MAX == 2100
    assert (datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)) == (dates.DATE_MIN, dates.DATE_MAX)
