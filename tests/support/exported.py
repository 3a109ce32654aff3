"""Helpers for the open-data tests: a varied set of cases, and reading exports back."""

from __future__ import annotations

import csv
import io
import json

from catalogue.models import CareSetting, EvidenceType, Status

from .factories import (
    ApproachFactory,
    ConditionFactory,
    OutcomeFigureFactory,
    RegionFactory,
    SourceFactory,
    complete_case,
)


def varied_cases() -> dict:
    """Published cases that differ on every filter, a draft, and the terms they use."""
    mental = ConditionFactory(slug="mental-health", name="Mental health")
    copd = ConditionFactory(slug="copd", name="COPD")
    timebank = ApproachFactory(slug="timebanks", name="Timebanks")
    peer = ApproachFactory(slug="peer-support", name="Peer support")
    england = RegionFactory(slug="england", name="England", code="E92000001")
    london = RegionFactory(slug="london", name="London", code="E12000007", parent=england)
    wales = RegionFactory(slug="wales", name="Wales", code="W92000004")

    a = complete_case(
        scores=(3, 3, 3, 1, 2, 3),
        title="Alpha time bank",
        slug="alpha",
        region=london,
        setting=CareSetting.COMMUNITY,
        summary="A time bank in a GP surgery.",
    )
    a.conditions.set([mental])
    a.approaches.set([timebank])
    b = complete_case(
        scores=(1, 1, 3, 0, 1, 1),
        title="Beta breathing club",
        slug="beta",
        region=wales,
        setting=CareSetting.HEALTH,
        summary="Singing for better breathing.",
    )
    b.conditions.set([copd])
    b.approaches.set([peer])
    c = complete_case(
        scores=(2, 2, 2, 2, 2, 2),
        title="Gamma peers",
        slug="gamma",
        region=england,
        setting=CareSetting.SOCIAL_CARE,
        summary="Peer support for mental health and COPD.",
    )
    c.conditions.set([mental, copd])
    c.approaches.set([peer, timebank])
    draft = complete_case(title="Delta draft", slug="delta", region=london, status=Status.DRAFT)
    draft.conditions.set([mental])
    OutcomeFigureFactory(case_study=a, statement="=1+1 admissions fell", evidence_type=EvidenceType.TRIAL)
    OutcomeFigureFactory(case_study=a, statement="Second figure", source_url="")
    SourceFactory(case_study=a, title="@risk report", publisher="", year=None, url="")
    return {"alpha": a, "beta": b, "gamma": c, "draft": draft}  # fmt: skip


def streamed(response) -> bytes:
    assert response.streaming, "exports must stream"
    return b"".join(response.streaming_content)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff"), "the CSV starts with a byte-order mark"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def json_records(data: bytes) -> list[dict]:
    return json.loads(data.decode("utf-8"))["case_studies"]
