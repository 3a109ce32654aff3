"""Importing in admin: upload, see every problem or a preview, confirm; nothing is saved before confirming."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue import services
from catalogue.models import CaseStudy, Status
from tests.builders import assess_independently, varied_cases
from tests.support.exported import csv_rows, streamed, to_csv

pytestmark = pytest.mark.django_db
UPLOAD = "admin:catalogue_casestudy_import"
CONFIRM = "admin:catalogue_casestudy_import_confirm"


def upload(client, data: bytes, publish: bool = False):
    payload = {"file": SimpleUploadedFile("cases.csv", data, content_type="text/csv")}
    if publish:
        payload["publish"] = "on"
    return client.post(reverse(UPLOAD), payload)


@pytest.fixture
def exported(client, principles):
    varied_cases()
    rows = csv_rows(streamed(client.get(reverse("catalogue:case-export-csv"))))
    CaseStudy.objects.all().delete()
    return rows


def test_the_case_list_offers_the_import(editor_client):
    page = editor_client.get(reverse("admin:catalogue_casestudy_changelist")).content.decode()
    assert f'href="{reverse(UPLOAD)}"' in page


def test_upload_previews_then_confirm_imports(editor_client, exported, editor):
    response = upload(editor_client, to_csv(exported))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 to create (as drafts), 0 to update, 0 unchanged." in page
    assert "Alpha time bank" in page
    assert not CaseStudy.objects.exists(), "nothing is saved before confirming"

    token = response.context["token"]
    response = editor_client.post(reverse(CONFIRM), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalogue_casestudy_changelist")
    assert set(CaseStudy.objects.values_list("slug", "status", "last_edited_by")) == {
        ("alpha", Status.DRAFT, editor.pk), ("beta", Status.DRAFT, editor.pk), ("gamma", Status.DRAFT, editor.pk),
    }  # fmt: skip
    # The same token cannot import twice.
    response = editor_client.post(reverse(CONFIRM), {"token": token})
    assert response.status_code == 302 and response["Location"] == reverse(UPLOAD)


def test_upload_with_problems_lists_each_with_row_and_column(editor_client, exported):
    exported[0]["sites"] = "Atlantis (E99999999)"
    exported[1]["blurring-distinctions_score"] = "9"
    response = upload(editor_client, to_csv(exported))
    page = response.content.decode()
    assert "cannot be imported" in page
    assert "<td>sites (M)</td><td>site 1: unknown area code &#x27;E99999999&#x27;" in page
    assert "9 is outside the score scale 0-3" in page
    assert "Confirm the import" not in page
    assert not CaseStudy.objects.exists()


def test_confirm_checks_again_against_the_current_catalogue(editor_client, exported):
    response = upload(editor_client, to_csv(exported))
    from catalogue.models import Region

    Region.objects.filter(code="W92000004").update(code="W99999999")  # the catalogue changed since the preview
    response = editor_client.post(reverse(CONFIRM), {"token": response.context["token"]})
    assert response.status_code == 409
    assert "unknown area code &#x27;W92000004&#x27;" in response.content.decode()
    assert not CaseStudy.objects.exists()


def test_confirm_with_a_wrong_token_imports_nothing(editor_client, exported):
    upload(editor_client, to_csv(exported))
    response = editor_client.post(reverse(CONFIRM), {"token": "guess"})
    assert response.status_code == 302
    assert not CaseStudy.objects.exists()


def test_staff_without_add_permission_cannot_import(client, exported):
    user = get_user_model().objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(UPLOAD)).status_code == 403
    assert upload(client, to_csv(exported)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse(UPLOAD))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_an_upload_that_is_not_a_file_is_a_form_error(editor_client, principles):
    response = editor_client.post(reverse(UPLOAD), {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_an_import_bumps_the_cache_version_once_and_leaves_every_profile_right(editor_client, exported):
    """Each save bumped the version (twice: at once and after the commit), and each score save refreshed its
    case's profile: now one bump and one refresh for the whole import (D9)."""
    from catalogue import caching

    response = upload(editor_client, to_csv(exported))
    queryset = type(CaseStudy.objects.none())
    with (
        mock.patch.object(caching, "_replace_version", wraps=caching._replace_version) as replaced,
        mock.patch.object(
            queryset, "refresh_profiles", autospec=True, side_effect=queryset.refresh_profiles
        ) as refreshed,
    ):
        confirmed = editor_client.post(reverse(CONFIRM), {"token": response.context["token"]})
    assert confirmed.status_code == 302
    assert CaseStudy.objects.count() == 3
    assert replaced.call_count == 1  # (and once more when the transaction commits)
    assert refreshed.call_count == 1
    stored = dict(CaseStudy.objects.values_list("pk", "profile"))
    assert stored and all(profile != "" for profile in stored.values())
    assert CaseStudy.objects.all().refresh_profiles() == {}  # nothing left to correct: the stored profiles are right


def test_an_import_refused_on_confirm_leaves_the_profiles_and_cache_alone(editor_client, exported):
    from catalogue import caching

    response = upload(editor_client, to_csv(exported))
    before = caching.version()
    write_case = services.write_case

    def write_then_refuse(*args, **kwargs):
        write_case(*args, **kwargs)
        raise services.CaseRefused([("", "needs a source")])

    with mock.patch("catalogue.services.write_case", side_effect=write_then_refuse):
        refused = editor_client.post(reverse(CONFIRM), {"token": response.context["token"]})
    assert refused.status_code == 409
    assert not CaseStudy.objects.exists()
    assert caching.version() != before  # a bump after a refused import costs a cold cache, never a stale page


def test_with_the_cache_down_an_import_commits_and_answers_as_usual(editor_client, exported, settings):
    """The 500 came after the commit, from the cache writes that followed it (D5, D9)."""
    from tests.support.flaky_cache import FlakyCache

    response = upload(editor_client, to_csv(exported))
    settings.CACHES = {"default": {"BACKEND": "tests.support.flaky_cache.FlakyCache"}}
    FlakyCache.broken = True
    try:
        confirmed = editor_client.post(reverse(CONFIRM), {"token": response.context["token"]})
    finally:
        FlakyCache.broken = False
    assert confirmed.status_code == 302
    assert CaseStudy.objects.filter(status=Status.DRAFT).count() == 3


def test_an_import_does_not_look_up_each_scores_principle_again(editor_client, exported):
    """Validating each score's principle was an EXISTS query per score; the principles were just read from the
    database, whose foreign key enforces them anyway."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = upload(editor_client, to_csv(exported))
    with CaptureQueriesContext(connection) as queries:
        confirmed = editor_client.post(reverse(CONFIRM), {"token": response.context["token"]})
    assert confirmed.status_code == 302
    exists_on_principles = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT 1 AS "a" FROM "principles_principle"')
    ]
    assert exists_on_principles == []


# --- four eyes: an editor's import does not publish what that editor changed --------------------------------


@pytest.fixture
def imported_drafts(editor_client, exported, editor):
    """The exported cases imported as drafts by `editor`, then each given its two independent assessments."""
    response = upload(editor_client, to_csv(exported))
    assert editor_client.post(reverse(CONFIRM), {"token": response.context["token"]}).status_code == 302
    assess_independently(*CaseStudy.objects.all())
    return exported


def catalogue_state() -> list:
    return sorted(CaseStudy.objects.values_list("slug", "title", "status", "last_edited_by", "published_by"))


def test_the_editor_who_imported_cases_cannot_publish_them_and_nothing_changes(editor_client, imported_drafts):
    before = catalogue_state()
    response = upload(editor_client, to_csv(imported_drafts), publish=True)
    page = response.content.decode()
    assert "cannot be imported" in page
    assert page.count("you were the last to change this case, its scores or its assessments") == 3
    assert "Import the file without “Publish every case in the file”" in page
    assert "token" not in response.context
    assert catalogue_state() == before


def test_no_editor_publishes_a_case_their_file_changes(second_editor_client, imported_drafts):
    imported_drafts[0]["title"] = "Alpha, renamed"
    before = catalogue_state()
    response = upload(second_editor_client, to_csv(imported_drafts), publish=True)
    page = response.content.decode()
    assert "<tr><td>2</td><td>-</td><td>Publishing needs a second editor: this file changes the case" in page
    assert page.count("Publishing needs a second editor") == 1  # the unchanged rows may be published by them
    assert catalogue_state() == before


def test_a_second_editor_publishes_the_cases_another_editor_imported(second_editor_client, imported_drafts, editor):
    response = upload(second_editor_client, to_csv(imported_drafts), publish=True)
    assert "0 to create (as published), 3 to update, 0 unchanged." in response.content.decode()
    confirmed = second_editor_client.post(reverse(CONFIRM), {"token": response.context["token"]})
    assert confirmed.status_code == 302
    assert set(CaseStudy.objects.values_list("status", "last_edited_by", "published_by")) == {
        (Status.PUBLISHED, editor.pk, second_editor_client.user.pk)
    }
