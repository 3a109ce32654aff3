"""A reply to a case's scores is shown on the case page once an editor approves it, and not before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.choices import ReplyStatus
from catalogue.models import ScoreReply
from tests.participation.conftest import sent

pytestmark = pytest.mark.django_db


def test_an_approved_reply_shows_on_the_case_page_and_an_unapproved_one_does_not(client, editor_client,
                                                                                  published_case):  # fmt: skip
    path = reverse("catalogue:reply", args=[published_case.slug])
    client.post(path, sent({"written_by": "Manager, the time bank", "text": "Our members now co-chair the board."}))
    reply = ScoreReply.objects.get()
    assert reply.status == ReplyStatus.WAITING
    assert "co-chair the board" not in client.get(published_case.get_absolute_url()).text
    editor_client.post(reverse("admin:catalogue_scorereply_changelist"),
                       {"action": "approve", "_selected_action": [reply.pk]})  # fmt: skip
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.APPROVED
    page = client.get(published_case.get_absolute_url()).text
    assert "co-chair the board" in page and "Manager, the time bank" in page
