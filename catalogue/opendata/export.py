"""The exports of any selection of cases: the CSV (columns.py's format), the JSON (records.py's records) and the
assessments CSV (columns.ASSESSMENT_COLUMNS), streamed a few rows at a time from one query (snapshot.snapshots),
so memory stays flat however many cases.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from .columns import AGREED, AGREED_LABEL, ASSESSMENT_COLUMNS, INDEPENDENT, LICENCE_NAME, LICENCE_URL, columns
from .records import case_record
from .snapshot import CaseSnapshot, row_values

CHUNK_BYTES = 64 * 1024  # fewer, larger writes when streaming


def page_url(slug: str, base_url: str) -> str:
    return base_url + reverse("catalogue:case-detail", kwargs={"slug": slug})


def api_url(slug: str, base_url: str) -> str:
    return base_url + reverse("api:case-detail", kwargs={"slug": slug})


class _Line:
    """What csv.writer writes to: each row comes back as its text (Django's streaming CSV recipe)."""

    def write(self, text: str) -> str:
        return text


def csv_lines(cases: Iterable[CaseSnapshot], base_url: str | None = None) -> Iterator[str]:
    """The whole CSV file, line by line (the first starts with the byte-order mark)."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    cols = columns()
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([column.name for column in cols])
    for case in cases:
        values = row_values(case, page_url(case.slug, base))
        yield writer.writerow([column.cell(values.get(column.name)) for column in cols])


def assessment_rows(case: CaseSnapshot) -> Iterator[dict[str, Any]]:
    """A case's rows of assessments.csv, by column name: its agreed scores, then each independent assessment
    (oldest first), each in principle order. The case must be a snapshot made with its assessments."""
    for score in case.scores:
        yield {"case_slug": case.slug, "kind": AGREED, "role": "", "label": AGREED_LABEL, "rubric_version": None,
               "assessed_on": score.assessed_on, "principle": score.principle, "score": score.score,
               "rationale": score.rationale, "source": "", "moderation_reason": score.moderation_reason}  # fmt: skip
    for assessment in case.assessments:
        for score in assessment.scores:
            yield {"case_slug": case.slug, "kind": INDEPENDENT, "role": assessment.role, "label": assessment.label,
                   "rubric_version": assessment.rubric_version, "assessed_on": assessment.assessed_on,
                   "principle": score.principle, "score": score.score, "rationale": score.rationale,
                   "source": score.source_title, "moderation_reason": ""}  # fmt: skip


def assessment_csv_lines(cases: Iterable[CaseSnapshot]) -> Iterator[str]:
    """assessments.csv, line by line (the first starts with the byte-order mark)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([column.name for column in ASSESSMENT_COLUMNS])
    for case in cases:
        for row in assessment_rows(case):
            yield writer.writerow([column.cell(row[column.name]) for column in ASSESSMENT_COLUMNS])


def assessment_csv_bytes(cases: Iterable[CaseSnapshot]) -> Iterator[bytes]:
    """assessments.csv as UTF-8 byte chunks."""
    return _chunked(assessment_csv_lines(cases))


def _chunked(parts: Iterable[str]) -> Iterator[bytes]:
    buffer: list[str] = []
    size = 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= CHUNK_BYTES:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def csv_bytes(cases: Iterable[CaseSnapshot], base_url: str | None = None) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks."""
    return _chunked(csv_lines(cases, base_url))


def json_parts(cases: Iterable[CaseSnapshot], base_url: str | None = None) -> Iterator[str]:
    """The JSON export: an object with the licence and a "case_studies" array of full records (the API's case
    detail, records.case_record)."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    head = {
        "title": f"{settings.SITE_NAME}: case studies",
        "licence": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "data_dictionary": base + reverse("catalogue:data"),
        "generated_at": timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"),
    }
    encoder = JSONEncoder(ensure_ascii=False)
    yield encoder.encode(head)[:-1] + ', "case_studies": ['
    for index, case in enumerate(cases):
        record = encoder.encode(case_record(case, page_url(case.slug, base), api_url(case.slug, base)))
        yield record if index == 0 else "," + record
    yield "]}"


def json_bytes(cases: Iterable[CaseSnapshot], base_url: str | None = None) -> Iterator[bytes]:
    """The JSON export as UTF-8 byte chunks."""
    return _chunked(json_parts(cases, base_url))
