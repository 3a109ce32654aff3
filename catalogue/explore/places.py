"""Where the evidence is: the hex map of the local authorities under the current filters, and what a place's page
says about one area (its cases, the programmes that reach it, the principle profile of its cases, its gaps).

Every number here is one the case list gives for a link beside it: a hex or a region counts the cases with a site
there (`programmes=exclude`), and the nation-wide and UK-wide programmes are listed beside the map with their own
links (`reach=`), so a commissioner sees both and no case is counted twice in one figure.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from principles.models import Principle, Score

from ..choices import Reach, RegionKind
from ..filters import CaseStudyFilter
from ..models import CaseStudy, Condition, Region
from ..places import hexmap
from ..places.reach import WIDE
from ..selection import query_string
from . import palette
from .insights import Spread, level_counts

DISTRICTS_FILE = "areas/uk-local-authority-districts-2023.hexjson"


@functools.cache
def layout() -> hexmap.Layout:
    """The shipped HexJSON layout, read once a process."""
    return hexmap.read_layout(settings.CONTENT_DIR / DISTRICTS_FILE)


@dataclass(frozen=True)
class AreaCount:
    name: str
    code: str
    slug: str
    count: int
    href: str  # the case list of what is counted
    depth: int = 0


@dataclass(frozen=True)
class PlaceMap:
    map: hexmap.HexMap
    areas: tuple[AreaCount, ...]  # the UK, nations and English regions: cases with a site in each
    districts: tuple[AreaCount, ...]  # the local authorities with a case
    countries: tuple[AreaCount, ...]  # outside the UK
    programmes: tuple[AreaCount, ...]  # UK-wide, then each nation's nation-wide programmes
    chosen: tuple[str, ...]  # the codes of the areas chosen in the filters


def list_link(filterset: CaseStudyFilter, **params: str) -> str:
    """The case list with the current selection except its places, and `params`."""
    kept = [(k, v) for k, v in parse_qsl(query_string(filterset)) if k not in {"region", "programmes", "reach", "page"}]
    return f"{reverse('catalogue:case-list')}?{urlencode(kept + list(params.items()))}"


def place_map(filterset: CaseStudyFilter, *, hex_size: float = 10) -> PlaceMap:
    """The map of the current selection (every filter but the places, which it offers instead)."""
    region_filter = filterset.filters["region"]
    tree = region_filter.tree
    areas = {a.pk: a for a in Region.objects.only("pk", "name", "code", "kind", "slug")}
    inside, wide = region_filter.case_sets(filterset.queryset_without("region"))

    def here(area: Region) -> str:
        return list_link(filterset, region=area.code, programmes="exclude")

    counts = {a.code: len(inside.get(pk, ())) for pk, a in areas.items() if a.kind == RegionKind.LOCAL_AUTHORITY}
    by_code = {a.code: a for a in areas.values()}
    groups = {a.code: a.name for a in areas.values() if a.kind in (RegionKind.NATION, RegionKind.ENGLISH_REGION)}
    drawn = hexmap.build_map(
        layout(),
        counts=counts,
        href=lambda code: here(by_code[code]) if code in by_code else "",
        group_names=groups,
        group_counts={code: len(inside.get(by_code[code].pk, ())) for code in groups},
        group_href=lambda code: here(by_code[code]),
        colours=palette.colours(),
        hex_size=hex_size,
    )
    uk_areas = [
        AreaCount(node.name, areas[node.pk].code, node.slug, len(inside.get(node.pk, ())), here(areas[node.pk]),
                  node.depth)  # fmt: skip
        for node in tree.nodes
        if areas[node.pk].kind in (RegionKind.UK, RegionKind.NATION, RegionKind.ENGLISH_REGION)
    ]
    districts = sorted(
        (AreaCount(a.name, a.code, a.slug, n, here(a)) for a in areas.values() if a.kind == RegionKind.LOCAL_AUTHORITY
         if (n := len(inside.get(a.pk, ())))),
        key=lambda area: area.name,
    )  # fmt: skip
    countries = [
        AreaCount(a.name, a.code, a.slug, n, here(a))
        for a in sorted(areas.values(), key=lambda a: a.name)
        if a.kind == RegionKind.COUNTRY and (n := len(inside.get(a.pk, ())))
    ]
    programmes = []
    for pk, found in wide.items():
        area = areas[pk]
        if area.kind == RegionKind.UK:
            href = list_link(filterset, reach=Reach.UK_WIDE)
            programmes.insert(0, AreaCount("UK-wide programmes", area.code, area.slug, len(found), href))
        elif area.kind == RegionKind.NATION:
            href = list_link(filterset, region=area.code, reach=Reach.NATION_WIDE)
            programmes.append(AreaCount(f"{area.name}-wide programmes", area.code, area.slug, len(found), href))
    chosen = tuple(areas[tree.ids[slug]].code for slug in filterset.chosen("region") if slug in tree.ids)
    return PlaceMap(drawn, tuple(uk_areas), tuple(districts), tuple(countries), tuple(programmes), chosen)


# --- a place's page ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceSummary:
    area: Region
    trail: tuple[Region, ...]  # the areas above it, widest first
    local: Sequence[CaseStudy]  # published cases with a site in it or below it
    programmes: Sequence[CaseStudy]  # nation-wide and UK-wide programmes that cover it
    below: tuple[AreaCount, ...]  # the areas just below it with cases there
    spread: list[Spread]  # the principle profile of its local cases
    weak_principles: list[Principle]  # no local case scores "clearly present" or more on these
    missing_conditions: list[Condition]  # no local case (nor programme) covers these
    list_href: str
    local_href: str


def place_summary(area: Region, principles: Sequence[Principle]) -> PlaceSummary:
    tree = Region.objects.tree()
    published = CaseStudy.objects.published()
    local_condition = published.in_areas_condition([area.pk], tree, programmes=False)
    everything = published.in_areas_condition([area.pk], tree, programmes=True)
    local = list(published.filter(local_condition).for_listing().order_by("title"))
    programmes = list(
        published.filter(everything & ~local_condition).filter(reach__in=sorted(WIDE)).for_listing().order_by("title")
    )
    counts = level_counts(principles, cases=published.filter(local_condition))
    spread = [
        Spread(p, tuple(counts.get(p.pk, {}).get(level.value, 0) for level in Score)) for p in principles
    ]
    weak = [s.principle for s in spread if not s.at_least_clearly_present]
    reached = published.filter(everything)
    missing = list(Condition.objects.exclude(Q(case_studies__in=reached)).order_by("name"))
    ancestors = [pk for pk in tree.ancestors(area.pk)[1:]]
    trail = tuple(reversed(list(Region.objects.in_bulk(ancestors).get(pk) for pk in ancestors)))
    inside, _wide = CaseStudyFilter({}).filters["region"].case_sets(published)
    below = tuple(
        AreaCount(child.name, child.code, child.slug, len(inside[child.pk]), child.get_absolute_url())
        for child in Region.objects.filter(parent=area).order_by("position", "name")
        if inside.get(child.pk)
    )
    base = reverse("catalogue:case-list")
    return PlaceSummary(
        area=area, trail=tuple(t for t in trail if t), local=local, programmes=programmes, below=below,
        spread=spread, weak_principles=weak, missing_conditions=missing,
        list_href=f"{base}?{urlencode({'region': area.code})}",
        local_href=f"{base}?{urlencode({'region': area.code, 'programmes': 'exclude'})}",
    )  # fmt: skip
