"""Factories for test data. Tests build their own data; only test_content.py reads the real fixtures."""

from __future__ import annotations

import factory
from django.utils import timezone

from catalogue.models import (
    Approach,
    CareSetting,
    CaseStudy,
    Condition,
    EvidenceType,
    OutcomeFigure,
    PrincipleScore,
    Region,
    RegionKind,
    Source,
    Status,
)
from principles.models import Principle

PRINCIPLES = [
    (1, "building-on-capabilities", "Building on people's existing capabilities", "Capabilities"),
    (2, "mutuality-and-reciprocity", "Mutuality and reciprocity", "Mutuality"),
    (3, "peer-support-networks", "Peer support networks", "Peer networks"),
    (4, "blurring-distinctions", "Blurring distinctions between professionals and recipients", "Blurring roles"),
    (5, "facilitating-not-delivering", "Facilitating rather than delivering", "Facilitating"),
    (6, "recognising-people-as-assets", "Recognising people as assets", "People as assets"),
]


def make_principles() -> list[Principle]:
    return [
        Principle.objects.get_or_create(
            slug=slug,
            defaults=dict(
                number=number,
                name=name,
                short_name=short,
                description=f"What {name.lower()} means.",
                level_0="Not seen.",
                level_1="Glimpses of it.",
                level_2="Plainly there.",
                level_3="The heart of the work.",
            ),
        )[0]
        for number, slug, name, short in PRINCIPLES
    ]


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    kind = RegionKind.ENGLISH_REGION
    code = factory.Sequence(lambda n: f"E1{n:07d}")


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Condition {n}")
    slug = factory.Sequence(lambda n: f"condition-{n}")


class ApproachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approach
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Approach {n}")
    slug = factory.Sequence(lambda n: f"approach-{n}")


class CaseStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseStudy

    title = factory.Sequence(lambda n: f"Case study {n}")
    slug = factory.Sequence(lambda n: f"case-study-{n}")
    summary = "People and professionals run this service together."
    lead_organisation = "A community organisation"
    place = "Somewhere"
    region = factory.SubFactory(RegionFactory)
    setting = CareSetting.COMMUNITY
    status = Status.DRAFT
    start_year = 2010
    last_reviewed = factory.LazyFunction(timezone.localdate)


class PrincipleScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrincipleScore

    case_study = factory.SubFactory(CaseStudyFactory)
    score = 2
    rationale = "Seen plainly in how the service works."
    assessed_by = "Test assessor"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    case_study = factory.SubFactory(CaseStudyFactory)
    title = factory.Sequence(lambda n: f"Evaluation report {n}")
    publisher = "A university"
    year = 2015
    url = "https://example.org/report"


class OutcomeFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeFigure

    case_study = factory.SubFactory(CaseStudyFactory)
    statement = "Admissions fell by 14%."
    evidence_type = EvidenceType.EVALUATION
    source_title = "An evaluation"
    source_url = "https://example.org/evaluation"


def complete_case(scores: list[int] | tuple[int, ...] = (2, 2, 2, 2, 2, 2), **fields) -> CaseStudy:
    """A case that meets every publishing rule: six scored principles, a condition, a source."""
    principles = make_principles()
    fields.setdefault("status", Status.PUBLISHED)
    status = fields.pop("status")
    case = CaseStudyFactory(status=Status.DRAFT, **fields)
    case.conditions.add(ConditionFactory())
    case.approaches.add(ApproachFactory())
    for principle, score in zip(principles, scores, strict=True):
        PrincipleScoreFactory(case_study=case, principle=principle, score=score)
    SourceFactory(case_study=case)
    if status != case.status:
        case.status = status
        case.save()
    return case
