"""`manage.py purge_personal_data` deletes personal data past its period, and only that."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import ErrorReport, Suggestion
from tests.participation.conftest import SUGGESTION

pytestmark = pytest.mark.django_db


def test_the_purge_deletes_only_what_is_past_its_period(settings, published_case):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    now = timezone.now()
    old = Suggestion.objects.create(**SUGGESTION, submitted_at=now - datetime.timedelta(days=31))
    recent = Suggestion.objects.create(**SUGGESTION, submitted_at=now - datetime.timedelta(days=29))
    old_report = ErrorReport.objects.create(
        case=published_case, part="fact", what_is_wrong="x", email="a@example.org",
        submitted_at=now - datetime.timedelta(days=40),
    )  # fmt: skip
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    old.refresh_from_db(), recent.refresh_from_db(), old_report.refresh_from_db()
    assert (old.email, old.relation, old_report.email) == ("", "", "")
    assert (recent.email, recent.relation) == ("person@example.org", "works-there")
    assert old.what_it_does == SUGGESTION["what_it_does"]  # what they wrote about the case stays
    assert "from 2 item(s)" in out.getvalue()
    call_command("purge_personal_data", stdout=out)
    assert "from 0 item(s)" in out.getvalue()


def test_the_purge_deletes_admin_log_in_records_past_the_period(settings):
    from axes.models import AccessAttempt, AccessLog

    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    now = timezone.now()
    for days, name in [(31, "old"), (29, "recent")]:
        for model, extra in [(AccessAttempt, {"failures_since_start": 1}), (AccessLog, {})]:
            record = model.objects.create(
                username=name, ip_address="127.0.0.1", user_agent="x", path_info="/admin/", **extra
            )
            model.objects.filter(pk=record.pk).update(attempt_time=now - datetime.timedelta(days=days))
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "log-in records older than 30 days deleted: 2." in out.getvalue()
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"recent"}
    assert set(AccessLog.objects.values_list("username", flat=True)) == {"recent"}
