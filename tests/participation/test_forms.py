"""The public forms (views/participation.py): a suggestion goes in without an account and appears only in admin;
each defence refuses with a clear message, the right status and nothing stored."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from catalogue.models import ErrorReport, ScoreReply, Suggestion
from catalogue.participation import abuse
from tests.participation.conftest import SUGGESTION, sent

pytestmark = pytest.mark.django_db

SUGGEST = "/suggest/"


def test_the_form_page_sets_only_the_csrf_cookie_and_is_not_cached(client):
    response = client.get(SUGGEST)
    assert response.status_code == 200
    assert set(response.cookies) == {"csrftoken"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_suggestion_goes_in_without_an_account_and_appears_only_in_admin(client, editor_client):
    response = client.post(SUGGEST, sent(SUGGESTION))
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:received", args=[suggestion.reference])
    assert suggestion.reference.startswith("S-") and suggestion.reference.endswith(f"-{suggestion.pk:04d}")
    assert suggestion.what_it_does == "Neighbours trade hours of help.\nEveryone's hour counts the same."
    assert suggestion.status == "new" and suggestion.email == "person@example.org"
    # The editors are told, without the visitor's words or address.
    [message] = mail.outbox
    assert suggestion.reference in message.subject and "person@example.org" not in message.body
    assert "Neighbours" not in message.body
    # The thanks page names the reference and nothing the visitor wrote.
    thanks = client.get(response["Location"])
    assert suggestion.reference in thanks.text and "Hillside" not in thanks.text
    # Nowhere public.
    for path in ["/", "/case-studies/", "/case-studies/?q=time+bank", "/feed/"]:
        assert "Hillside Community Trust" not in client.get(path).text
    # In admin.
    assert "Hillside Time Bank" in editor_client.get(reverse("admin:catalogue_suggestion_changelist")).text


def test_the_honeypot_refuses_with_a_message_and_writes_nothing(client):
    response = client.post(SUGGEST, sent(SUGGESTION, trap="0123 456"))
    assert response.status_code == 400
    assert abuse.TRAP_FILLED in response.text
    assert not Suggestion.objects.exists() and not mail.outbox


def test_a_form_sent_too_fast_is_refused_and_can_be_sent_again(client):
    response = client.post(SUGGEST, sent(SUGGESTION, seconds_ago=0))
    assert response.status_code == 400
    assert abuse.TOO_FAST in response.text
    assert not Suggestion.objects.exists()
    # The form shown again carries a new time; the person's answers are kept, escaped.
    assert 'value="Hillside Time Bank"' in response.text


@pytest.mark.parametrize("token", ["", "forged", "stale"])
def test_a_missing_forged_or_stale_time_is_refused(client, token):
    # A stale token is made here, not in the parameters: signed tokens differ per process, and every test worker
    # must collect the same test ids.
    token = abuse.started_token(0) if token == "stale" else token
    response = client.post(SUGGEST, {**sent(SUGGESTION), "started": token})
    assert response.status_code == 400
    assert abuse.STALE in response.text
    assert not Suggestion.objects.exists()


def test_a_flood_from_one_address_is_refused(client, settings):
    settings.PARTICIPATION_RATE = "2/h"
    for _ in range(2):
        assert client.post(SUGGEST, sent(SUGGESTION)).status_code == 302
    response = client.post(SUGGEST, sent(SUGGESTION))
    assert response.status_code == 429
    assert "Too many forms" in response.text
    assert Suggestion.objects.count() == 2
    # Another address is not held back.
    other = Client(REMOTE_ADDR="192.0.2.9")
    assert other.post(SUGGEST, sent(SUGGESTION)).status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("what_it_does", "x" * 4001, "at most 4000 characters"),
        ("name", "x" * 201, "at most 200 characters"),
        ("name", "", "This field is required"),
        ("what_it_does", "   ", "This field is required"),
        ("name", "<script>alert(1)</script>", "plain text"),
        ("sharing_power", "Members <b>lead</b>", "plain text"),
        ("website", "javascript:alert(1)", "http:// or https://"),
        ("website", "ftp://files.example/", "http:// or https://"),
        ("sources", "https://ok.example/\ndata:text/html,hi", "Line 2 is not a web address"),
        ("email", "not an address", "valid email"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(client, field, value, message):
    response = client.post(SUGGEST, sent({**SUGGESTION, field: value}))
    assert response.status_code == 400
    assert message in response.text
    assert "<script>alert" not in response.text  # shown back escaped, never live
    assert not Suggestion.objects.exists()


def test_a_form_without_its_csrf_token_gets_a_clear_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(SUGGEST, sent(SUGGESTION))
    assert response.status_code == 403
    assert "This form could not be accepted" in response.text
    assert not Suggestion.objects.exists()


def test_an_error_report_is_linked_to_its_case(client, published_case):
    path = reverse("catalogue:report-error", args=[published_case.slug])
    response = client.post(path, sent({"part": "figure", "what_is_wrong": "The figure is from 2009.", "email": ""}))
    report = ErrorReport.objects.get()
    assert response.status_code == 302 and report.reference.startswith("E-")
    assert report.case == published_case and report.email == ""
    assert published_case.title in mail.outbox[0].subject


def test_an_error_report_needs_a_part_from_the_list(client, published_case):
    path = reverse("catalogue:report-error", args=[published_case.slug])
    response = client.post(path, sent({"part": "everything", "what_is_wrong": "All wrong."}))
    assert response.status_code == 400 and not ErrorReport.objects.exists()


def test_there_is_no_form_for_a_draft_or_missing_case(client):
    assert client.get("/case-studies/no-such-case/report-an-error/").status_code == 404
    assert client.get("/case-studies/no-such-case/reply/").status_code == 404


def test_a_reply_waits_for_an_editor(client, published_case):
    path = reverse("catalogue:reply", args=[published_case.slug])
    response = client.post(path, sent({"written_by": "Manager, the time bank", "text": "We now pay members."}))
    reply = ScoreReply.objects.get()
    assert response.status_code == 302 and reply.status == "waiting" and reply.case_study == published_case
    assert response["Location"] == reverse("catalogue:received", args=[f"R-{reply.received_on.year}-{reply.pk:04d}"])


def test_the_case_page_links_to_both_forms(client, published_case):
    page = client.get(published_case.get_absolute_url()).text
    assert reverse("catalogue:report-error", args=[published_case.slug]) in page
    assert reverse("catalogue:reply", args=[published_case.slug]) in page


@pytest.mark.parametrize("path", ["/received/X-2026-0001/", "/received/S-2026-1/", "/received/<b>/"])
def test_the_thanks_page_refuses_what_is_not_a_reference(client, path):
    assert client.get(path).status_code == 404
