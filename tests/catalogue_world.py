"""A small hand-made catalogue for the list, case page and search tests, with every expected count worked out.

Regions: United Kingdom > England > London, North West; United Kingdom > Scotland; Finland (no parent).
Conditions: copd, mental-health, dementia (no case). Approaches: peer-support-groups, timebanks, self-management.

| case    | region     | conditions          | approaches                      | setting     | scores (principles 1-6) |
|---------|------------|---------------------|---------------------------------|-------------|-------------------------|
| Alpha   | London     | copd                | peer-support-groups             | health      | 3 2 3 1 2 2  (13)       |
| Bravo   | North West | mental-health       | timebanks                       | community   | 2 3 2 2 3 3  (15)       |
| Charlie | Scotland   | mental-health, copd | peer-support-groups, self-mgmt  | health      | 3 1 1 2 1 2  (10)       |
| Delta   | Finland    | mental-health       | self-management                 | health      | 1 1 3 3 2 1  (11)       |
| Echo    | England    | copd                | peer-support-groups             | social-care | 2 2 2 2 2 2  (12)       |
| Foxtrot | London     | copd                | peer-support-groups             | health      | 3 3 3 3 3 3  draft      |

First published: Echo 2022, Charlie 2023, Alpha 2024, Bravo 2025, Delta 2026 (Foxtrot never).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from catalogue.models import Approach, CareSetting, CaseStudy, Condition, Region, RegionKind, Status

from .factories import CaseStudyFactory, PrincipleScoreFactory, SourceFactory, make_principles

PRINCIPLE_SLUGS = [
    "building-on-capabilities",
    "mutuality-and-reciprocity",
    "peer-support-networks",
    "blurring-distinctions",
    "facilitating-not-delivering",
    "recognising-people-as-assets",
]


@dataclass
class World:
    cases: dict[str, CaseStudy]
    regions: dict[str, Region]
    conditions: dict[str, Condition]
    approaches: dict[str, Approach]


def region(slug: str, name: str, kind: str, code: str, parent: Region | None = None, position: int = 0) -> Region:
    return Region.objects.create(slug=slug, name=name, kind=kind, code=code, parent=parent, position=position)


def make_case(
    title: str,
    *,
    region: Region,
    conditions: list[Condition],
    approaches: list[Approach],
    scores: list[int],
    setting: str = CareSetting.HEALTH,
    status: str = Status.PUBLISHED,
    published: datetime.datetime | None = None,
    **fields,
) -> CaseStudy:
    """A case meeting every publishing rule, with the given taxonomy terms and scores."""
    principles = make_principles()
    fields.setdefault("slug", title.lower().replace(" ", "-"))
    case = CaseStudyFactory(title=title, region=region, setting=setting, status=Status.DRAFT, **fields)
    case.conditions.set(conditions)
    case.approaches.set(approaches)
    for principle, score in zip(principles, scores, strict=True):
        PrincipleScoreFactory(case_study=case, principle=principle, score=score)
    SourceFactory(case_study=case)
    if status != Status.DRAFT:
        case.status = status
        case.save()
    if published is not None:
        CaseStudy.objects.filter(pk=case.pk).update(first_published_at=published)
        case.refresh_from_db()
    return case


def build_world() -> World:
    make_principles()
    uk = region("united-kingdom", "United Kingdom", RegionKind.NATION, "K02000001")
    england = region("england", "England", RegionKind.NATION, "E92000001", uk, 1)
    scotland = region("scotland", "Scotland", RegionKind.NATION, "S92000003", uk, 2)
    london = region("london", "London", RegionKind.ENGLISH_REGION, "E12000007", england, 10)
    north_west = region("north-west", "North West", RegionKind.ENGLISH_REGION, "E12000002", england, 11)
    finland = region("finland", "Finland", RegionKind.COUNTRY, "FI", None, 20)
    regions = {r.slug: r for r in [uk, england, scotland, london, north_west, finland]}

    conditions = {
        slug: Condition.objects.create(slug=slug, name=name)
        for slug, name in [("copd", "COPD"), ("mental-health", "Mental health"), ("dementia", "Dementia")]
    }
    approaches = {
        slug: Approach.objects.create(slug=slug, name=name)
        for slug, name in [
            ("peer-support-groups", "Peer support groups"),
            ("timebanks", "Timebanks"),
            ("self-management", "Self-management support"),
        ]
    }
    c, a = conditions, approaches

    def year(y: int) -> datetime.datetime:
        return datetime.datetime(y, 1, 1, 12, tzinfo=datetime.UTC)

    cases = {
        "alpha": make_case(
            "Alpha Breathe Easy",
            slug="alpha",
            region=london,
            conditions=[c["copd"]],
            approaches=[a["peer-support-groups"]],
            scores=[3, 2, 3, 1, 2, 2],
            published=year(2024),
        ),
        "bravo": make_case(
            "Bravo Time Bank",
            slug="bravo",
            region=north_west,
            conditions=[c["mental-health"]],
            approaches=[a["timebanks"]],
            scores=[2, 3, 2, 2, 3, 3],
            setting=CareSetting.COMMUNITY,
            published=year(2025),
        ),
        "charlie": make_case(
            "Charlie Recovery College",
            slug="charlie",
            region=scotland,
            conditions=[c["mental-health"], c["copd"]],
            approaches=[a["peer-support-groups"], a["self-management"]],
            scores=[3, 1, 1, 2, 1, 2],
            published=year(2023),
        ),
        "delta": make_case(
            "Delta Open Dialogue",
            slug="delta",
            region=finland,
            conditions=[c["mental-health"]],
            approaches=[a["self-management"]],
            scores=[1, 1, 3, 3, 2, 1],
            published=year(2026),
        ),
        "echo": make_case(
            "Echo Peer Network",
            slug="echo",
            region=england,
            conditions=[c["copd"]],
            approaches=[a["peer-support-groups"]],
            scores=[2, 2, 2, 2, 2, 2],
            setting=CareSetting.SOCIAL_CARE,
            published=year(2022),
        ),
        "foxtrot": make_case(
            "Foxtrot Draft",
            slug="foxtrot",
            region=london,
            conditions=[c["copd"]],
            approaches=[a["peer-support-groups"]],
            scores=[3, 3, 3, 3, 3, 3],
            status=Status.DRAFT,
        ),
    }
    return World(cases=cases, regions=regions, conditions=conditions, approaches=approaches)


def build_many(count: int) -> None:
    """`count` published cases spread over three regions, four conditions and three approaches (for query counts)."""
    principles = make_principles()
    uk = Region.objects.create(slug="uk", name="UK", kind=RegionKind.NATION, code="K0")
    regions = [
        Region.objects.create(slug=f"r{i}", name=f"Region {i}", kind=RegionKind.ENGLISH_REGION, code=f"E{i}", parent=uk)
        for i in range(3)
    ]
    conditions = [Condition.objects.create(slug=f"c{i}", name=f"Condition {i}") for i in range(4)]
    approaches = [Approach.objects.create(slug=f"a{i}", name=f"Approach {i}") for i in range(3)]
    for n in range(count):
        case = CaseStudyFactory(
            title=f"Peer project {n:03d}",
            slug=f"peer-project-{n:03d}",
            summary="Neighbours and nurses run peer support together.",
            region=regions[n % 3],
            status=Status.DRAFT,
            featured=n % 4 == 0,
        )
        case.conditions.set([conditions[n % 4], conditions[(n + 1) % 4]])
        case.approaches.set([approaches[n % 3]])
        for principle in principles:
            PrincipleScoreFactory(case_study=case, principle=principle, score=(n + principle.number) % 4)
        SourceFactory(case_study=case)
        case.status = Status.PUBLISHED
        case.save()
    assert CaseStudy.objects.published().count() == count
