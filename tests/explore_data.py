"""Test data for the principle, compare and insights pages: a catalogue of any size built with the factories."""

from __future__ import annotations

from catalogue.models import CaseStudy, Region, RegionKind
from principles.models import Principle

from .factories import ConditionFactory, OutcomeFigureFactory, RegionFactory, complete_case


def region_tree() -> dict[str, Region]:
    """UK > England > London, plus a country outside the UK."""
    uk = RegionFactory(slug="united-kingdom", name="United Kingdom", kind=RegionKind.NATION, code="K02000001")
    england = RegionFactory(slug="england", name="England", kind=RegionKind.NATION, code="E92000001", parent=uk)
    london = RegionFactory(slug="london", name="London", code="E12000007", parent=england)
    finland = RegionFactory(slug="finland", name="Finland", kind=RegionKind.COUNTRY, code="FI")
    return {"uk": uk, "england": england, "london": london, "finland": finland}


def make_catalogue(size: int) -> list[CaseStudy]:
    """`size` published cases with varied scores, each with its own new condition (so conditions grow too),
    two outcome figures each, spread over the regions of region_tree()."""
    regions = list(region_tree().values())
    cases = []
    for index in range(size):
        scores = [(index + offset) % 4 for offset in range(6)]
        case = complete_case(scores=scores, region=regions[index % len(regions)], title=f"Catalogue case {index:03d}")
        case.conditions.add(ConditionFactory())
        OutcomeFigureFactory(case_study=case)
        OutcomeFigureFactory(case_study=case, evidence_type="trial")
        cases.append(case)
    return cases


def principle(slug: str) -> Principle:
    return Principle.objects.get(slug=slug)
