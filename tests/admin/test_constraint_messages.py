"""The admin never shows a raw database constraint ("Constraint “case_end_not_before_start” is violated."): each
constraint says what is wrong in plain English, and the slug's help text shows its address whole."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import BaseConstraint
from django.urls import reverse
from django.utils.html import escape

from catalogue.models import Status
from tests.builders import complete_case
from tests.support.formdata import read_form

pytestmark = pytest.mark.django_db


def change_url(case):
    return reverse("admin:catalogue_casestudy_change", args=[case.pk])


def posted(client, case, **changes) -> str:
    data = read_form(client.get(change_url(case)).content.decode(), form_id="casestudy_form")
    data.update({name: [value] for name, value in changes.items()})
    response = client.post(change_url(case), data)
    assert response.status_code == 200, "the form is shown again with the message"
    return response.content.decode()


@pytest.mark.parametrize(("changes", "message"), [
    ({"start_year": "2015", "end_year": "2010"}, "The end year cannot be before the start year."),
    ({"start_year": "1850"}, "1850 is not a plausible year (1900-2100)"),
    ({"still_running": "true", "end_year": "2020"},
     "A case that is still running cannot have an end year: clear one of them."),
    ({"sources-0-year": "1850"}, "A source's year must be between 1900 and 2100."),
])  # fmt: skip
def test_the_admin_form_says_in_plain_words_which_rule_is_broken(editor_client, principles, changes, message):
    case = complete_case(status=Status.DRAFT, start_year=None, end_year=None, still_running=None)
    page = posted(editor_client, case, **changes)
    assert escape(message) in page
    assert "Constraint “" not in page and "is violated" not in page


def test_every_constraint_has_a_plain_message():
    raw = BaseConstraint.default_violation_error_message
    for app in ("catalogue", "principles"):
        for model in apps.get_app_config(app).get_models():
            for constraint in model._meta.constraints:
                assert constraint.violation_error_message not in (None, raw), (model.__name__, constraint.name)


def test_the_slug_help_text_shows_the_whole_address(editor_client, principles):
    page = editor_client.get(change_url(complete_case(status=Status.DRAFT))).content.decode()
    assert "/case-studies/your-slug/" in page
    assert "/case-studies//" not in page
