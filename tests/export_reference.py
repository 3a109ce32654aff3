"""The exports as they were written before they were read in one query (commit bd10c46), kept as the reference
that the streamed exports must match byte for byte: model instances with their related rows prefetched per chunk,
each CSV row built by dataexchange.Column.cell from the stored values, each JSON record by the API's
CaseStudyDetailSerializer. Slow (six queries per chunk, thousands of model instances), but plainly right.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from catalogue.dataexchange import (
    CASE_COLUMNS,
    FIGURE_KEYS,
    LICENCE_NAME,
    LICENCE_URL,
    SCORE_PARTS,
    SOURCE_KEYS,
    SPECIAL_COLUMNS,
    columns,
    score_column_name,
)
from catalogue.models import CaseStudy
from catalogue.serializers import CaseStudyDetailSerializer

GENERATED_AT = re.compile(rb'"generated_at": "[^"]*"')


def without_generated_at(data: bytes) -> bytes:
    """A JSON export with its one varying part, the time it was made, blanked."""
    return GENERATED_AT.sub(b'"generated_at": ""', data, count=1)


def cases(queryset: QuerySet[CaseStudy], chunk_size: int = 200) -> Iterator[CaseStudy]:
    return (
        queryset.select_related("region")
        .prefetch_related("conditions", "approaches", "outcome_figures", "sources")
        .with_scores()
        .iterator(chunk_size=chunk_size)
    )


def case_values(case: CaseStudy, base_url: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        column.name: getattr(case, column.name) for column in CASE_COLUMNS if column.name not in SPECIAL_COLUMNS
    }
    values["url"] = base_url.rstrip("/") + case.get_absolute_url()
    values["region"] = case.region.slug if case.region_id else ""
    values["conditions"] = [c.slug for c in case.conditions.all()]
    values["approaches"] = [a.slug for a in case.approaches.all()]
    for score in case.scores.all():
        for part, _codec, _meaning in SCORE_PARTS:
            values[score_column_name(score.principle.slug, part)] = getattr(score, part)
    values["outcome_figures"] = [
        {key: getattr(f, key) for key in FIGURE_KEYS}
        for f in sorted(case.outcome_figures.all(), key=lambda f: (f.position, f.pk))
    ]
    values["sources"] = [
        {key: getattr(s, key) for key in SOURCE_KEYS}
        for s in sorted(case.sources.all(), key=lambda s: (s.position, s.pk))
    ]
    return values


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_bytes(queryset: QuerySet[CaseStudy], base_url: str = "http://testserver") -> bytes:
    """The whole CSV export of these cases, as export.csv wrote it."""
    cols = columns()
    writer = csv.writer(_Echo())
    lines = ["\ufeff" + writer.writerow([column.name for column in cols])]
    for case in cases(queryset):
        values = case_values(case, base_url)
        lines.append(writer.writerow([column.cell(values.get(column.name)) for column in cols]))
    return "".join(lines).encode("utf-8")


def json_bytes(queryset: QuerySet[CaseStudy], base_url: str = "http://testserver") -> bytes:
    """The whole JSON export of these cases, as export.json wrote it (its generated_at blanked)."""
    context = {"base_url": base_url.rstrip("/")}
    head = {
        "title": f"{settings.SITE_NAME}: case studies",
        "licence": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "data_dictionary": context["base_url"] + reverse("catalogue:data"),
        "generated_at": timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"),
    }
    encoder = JSONEncoder(ensure_ascii=False)
    serializer = CaseStudyDetailSerializer(context=context)
    records: Iterable[str] = (encoder.encode(serializer.to_representation(case)) for case in cases(queryset))
    text = encoder.encode(head)[:-1] + ', "case_studies": [' + ",".join(records) + "]}"
    return without_generated_at(text.encode("utf-8"))
