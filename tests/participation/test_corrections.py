"""A reader's error report reaches the case page only as a correction an editor records: nothing while it waits,
then "Corrected on <date>: <what>" in the case's change log."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from catalogue.choices import QueueStatus
from catalogue.models import ErrorReport
from tests.participation.conftest import sent

pytestmark = pytest.mark.django_db


def case_page(client, case) -> str:
    return client.get(case.get_absolute_url()).content.decode()


def test_a_report_shows_nothing_until_an_editor_records_a_correction(client, published_case):
    url = reverse("catalogue:report-error", args=[published_case.slug])
    data = sent({"part": "fact", "what_is_wrong": "It began in 2001, not 2000.", "evidence": "Its annual report."})
    assert client.post(url, data).status_code == 302
    report = ErrorReport.objects.get()
    assert "2001" not in case_page(client, published_case) and "Corrected on" not in case_page(client, published_case)

    report.status, report.handled_at = QueueStatus.DONE, timezone.now()
    report.save()
    assert "Corrected on" not in case_page(client, published_case)  # done, but no public text changed

    report.corrected_on, report.correction = datetime.date(2026, 12, 3), "The start year is 2001, not 2000."
    report.save()
    page = case_page(client, published_case)
    assert 'Corrected on <time datetime="2026-12-03">3 December 2026</time> after a reader\'s report: ' in page
    assert "The start year is 2001, not 2000." in page


def test_the_database_refuses_a_correction_without_its_words_or_on_an_open_report(published_case):
    for fields in [
        {"corrected_on": datetime.date(2026, 12, 3), "status": QueueStatus.DONE, "handled_at": timezone.now()},
        {"corrected_on": datetime.date(2026, 12, 3), "correction": "Fixed.", "status": QueueStatus.NEW},
        {"correction": "Fixed.", "status": QueueStatus.DONE, "handled_at": timezone.now()},
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            ErrorReport.objects.create(case=published_case, part="fact", what_is_wrong="Wrong.", **fields)
