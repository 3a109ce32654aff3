"""The editors' queue (admin/participation.py): the count on the index, turning a suggestion into a draft with its
fields, asking for more and declining with a reason, history, and a person's data exported or erased."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.urls import reverse

from catalogue.choices import Status
from catalogue.models import ErrorReport, QueueStatus, ScoreReply, Source, Suggestion
from tests.participation.conftest import SUGGESTION

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalogue_suggestion_changelist"


def suggestion(**fields) -> Suggestion:
    values = {k: v.replace("\r\n", "\n") for k, v in SUGGESTION.items()} | fields
    item = Suggestion.objects.create(**values)
    item.reference = item.make_reference()
    item.save()
    return item


def act(client, action: str, items, **extra):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [item.pk for item in items], **extra}, follow=True
    )


def test_the_index_counts_the_waiting_items(editor_client, published_case):
    suggestion()
    suggestion(status=QueueStatus.DONE, handled_at="2026-01-01T00:00Z", name="Done already")
    ErrorReport.objects.create(case=published_case, part="fact", what_is_wrong="Wrong year.")
    ScoreReply.objects.create(case_study=published_case, written_by="Manager", text="Thanks.")
    page = editor_client.get(reverse("admin:index")).text
    assert "Waiting for an editor: 3" in page
    assert "1 suggested case<" in page and "1 error report<" in page and "1 reply to scores" in page


def test_addresses_a_visitor_gave_are_not_links_in_admin(editor_client):
    item = suggestion()
    page = editor_client.get(reverse("admin:catalogue_suggestion_change", args=[item.pk])).text
    assert "<code>https://hillside.example/report</code><br>" in page
    assert 'href="https://hillside.example' not in page


def test_turning_a_suggestion_into_a_draft_carries_its_fields(editor_client, editor):
    item = suggestion()
    response = act(editor_client, "make_draft", [item])
    item.refresh_from_db()
    case = item.case
    assert response.status_code == 200 and "is now the draft case" in response.text
    assert case.status == Status.DRAFT
    assert (case.title, case.lead_organisation, case.place, case.setting, case.website) == (
        "Hillside Time Bank", "Hillside Community Trust", "Hillside, Leeds", "community", "https://hillside.example/",
    )  # fmt: skip
    assert case.what_they_did == item.what_it_does and case.sharing_power == "Members run the steering group."
    assert list(Source.objects.filter(case_study=case).values_list("url", flat=True)) == [
        "https://hillside.example/report", "http://news.example/article",
    ]  # fmt: skip
    assert case.slug == "hillside-time-bank" and case.last_edited_by == editor
    assert item.status == QueueStatus.DONE and item.handled_by == editor and item.handled_at is not None
    # A second time makes no second draft.
    act(editor_client, "make_draft", [item])
    assert Suggestion.objects.get().case == case and case.__class__.objects.filter(title=case.title).count() == 1


def test_declining_asks_for_a_reason_then_tells_the_sender(editor_client, editor):
    item = suggestion()
    first = act(editor_client, "decline", [item])
    assert "Reason or request" in first.text
    item.refresh_from_db()
    assert item.status == QueueStatus.NEW  # nothing yet
    act(editor_client, "decline", [item], apply="1", note="Not co-produced: run by the council alone.")
    item.refresh_from_db()
    assert item.status == QueueStatus.DECLINED and item.handled_by == editor
    assert item.editor_note == "Not co-produced: run by the council alone."
    [message] = mail.outbox
    assert message.to == ["person@example.org"] and "run by the council alone" in message.body
    assert item.history.first().history_user == editor


def test_asking_for_more_without_a_note_changes_nothing(editor_client):
    item = suggestion()
    act(editor_client, "ask_for_more", [item], apply="1", note="")
    item.refresh_from_db()
    assert item.status == QueueStatus.NEW and not mail.outbox


def test_the_change_form_refuses_a_decline_without_a_reason(editor_client):
    item = suggestion()
    url = reverse("admin:catalogue_suggestion_change", args=[item.pk])
    response = editor_client.post(url, {"status": QueueStatus.DECLINED, "editor_note": ""})
    assert response.status_code == 200 and "Say why it is declined" in response.text
    item.refresh_from_db()
    assert item.status == QueueStatus.NEW


def test_the_history_keeps_no_email_address(editor_client):
    item = suggestion()
    act(editor_client, "mark_in_progress", [item])
    assert not hasattr(item.history.first(), "email")


def test_a_persons_data_is_exported_and_erased_by_their_address(editor_client, published_case):
    mine = suggestion(email="Person@Example.org")
    report = ErrorReport.objects.create(case=published_case, part="fact", what_is_wrong="x", email="person@example.org")
    other = suggestion(email="someone@else.example", name="Other")
    export = act(editor_client, "export_personal_data", [mine])
    data = json.loads(export.content)
    assert [row["reference"] for row in data["held"]["suggestions"]] == [mine.reference]
    assert [row["id"] for row in data["held"]["error reports"]] == [report.pk]
    act(editor_client, "erase_personal_data", [mine])
    mine.refresh_from_db(), report.refresh_from_db(), other.refresh_from_db()
    assert (mine.email, mine.relation, report.email) == ("", "", "")
    assert other.email == "someone@else.example"


def test_visitors_items_cannot_be_added_in_admin(editor_client):
    assert editor_client.get(reverse("admin:catalogue_suggestion_add")).status_code == 403
