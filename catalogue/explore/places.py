"""Where the evidence is: the hex map of the local authorities under the current filters, and what a place's page
says about one area (its cases, the programmes that reach it, the principle profile of its cases, its gaps).

Every number here is one the case list gives for a link beside it: a hex, a region or a nation counts the cases
with a site there (`programmes=exclude`: a nation's count holds its nation-wide programmes, whose sites are the
nation itself, but no UK-wide one), and the nation-wide and UK-wide programmes are also listed on lines of their
own with their own links (`reach=`), so a commissioner sees where programmes cover a place without any district
counting them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from principles.models import Principle, Score

from .. import caching, facets
from ..choices import Reach, RegionKind
from ..filters import CaseStudyFilter
from ..models import CaseStudy, Condition, Region
from ..places import hexmap
from ..places.reach import WIDE
from ..selection import query_params
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


def list_link(filterset: CaseStudyFilter, *params: tuple[str, str], replace: frozenset = frozenset()) -> str:
    """The case list with the current selection but its places (and the parameters in `replace`), and `params`
    ((name, value) pairs)."""
    kept = query_params(filterset, without=frozenset({"region", "programmes", *replace}))
    return f"{reverse('catalogue:case-list')}?{urlencode(kept + list(params))}"


def cached_place_map(filterset: CaseStudyFilter, *, hex_size: float = 10) -> PlaceMap:
    """place_map(), cached per choice of filters until the next edit, as the facet counts are: the list draws a
    small one on every page and sort order of a selection."""
    key = facets.choice_of_filters(filterset) | {"hex_size": hex_size}
    return caching.cached("place-map", key, lambda: place_map(filterset, hex_size=hex_size))


def place_map(filterset: CaseStudyFilter, *, hex_size: float = 10) -> PlaceMap:
    """The map of the current selection (every filter but the places, which it offers instead). The areas come
    from what the region filter has read for the request: one query more than the filter's own, the sites."""
    areas = filterset.filters["region"]
    tree, codes, kinds = areas.tree, areas.codes, areas.kinds
    inside, wide = areas.case_sets(filterset.queryset_without("region"))

    def here(pk: int) -> str:
        """The list of what the map counts for an area: its cases with a site there."""
        return list_link(filterset, ("region", codes[pk]), ("programmes", "exclude"))

    def figure(node, name: str = "", count: int | None = None, href: str = "") -> AreaCount:
        count = len(inside.get(node.pk, ())) if count is None else count
        return AreaCount(name or node.name, codes[node.pk], node.slug, count, href or here(node.pk), node.depth)

    by_code = {codes[node.pk]: node for node in tree.nodes}
    nodes_of = {kind: [node for node in tree.nodes if kinds[node.pk] == kind] for kind in RegionKind.values}
    groups = {codes[n.pk]: n.name for n in (*nodes_of[RegionKind.NATION], *nodes_of[RegionKind.ENGLISH_REGION])}
    drawn = hexmap.build_map(
        layout(),
        counts={codes[n.pk]: len(inside.get(n.pk, ())) for n in nodes_of[RegionKind.LOCAL_AUTHORITY]},
        href=lambda code: here(by_code[code].pk) if code in by_code else "",
        group_names=groups,
        group_counts={code: len(inside.get(by_code[code].pk, ())) for code in groups},
        group_href=lambda code: here(by_code[code].pk) if code in by_code else "",
        colours=palette.colours(),
        hex_size=hex_size,
    )
    uk = {RegionKind.UK, RegionKind.NATION, RegionKind.ENGLISH_REGION}
    programmes = []
    for node in (*nodes_of[RegionKind.UK], *nodes_of[RegionKind.NATION]):
        if found := wide.get(node.pk):
            if kinds[node.pk] == RegionKind.UK:
                href = list_link(filterset, ("reach", Reach.UK_WIDE), replace=frozenset({"reach"}))
                programmes.append(figure(node, "UK-wide programmes", len(found), href))
            else:
                href = list_link(filterset, ("region", codes[node.pk]), ("reach", Reach.NATION_WIDE),
                                 replace=frozenset({"reach"}))  # fmt: skip
                programmes.append(figure(node, f"{node.name}-wide programmes", len(found), href))
    by_name = sorted(tree.nodes, key=lambda node: node.name)
    return PlaceMap(
        map=drawn,
        areas=tuple(figure(node) for node in tree.nodes if kinds[node.pk] in uk),
        districts=tuple(figure(n) for n in by_name if kinds[n.pk] == RegionKind.LOCAL_AUTHORITY and inside.get(n.pk)),
        countries=tuple(figure(n) for n in by_name if kinds[n.pk] == RegionKind.COUNTRY and inside.get(n.pk)),
        programmes=tuple(programmes),
        chosen=tuple(codes[tree.ids[slug]] for slug in filterset.chosen("region") if slug in tree.ids),
    )


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
    spread = [Spread(p, tuple(counts.get(p.pk, {}).get(level.value, 0) for level in Score)) for p in principles]
    weak = [s.principle for s in spread if not s.at_least_clearly_present]
    reached = published.filter(everything)
    missing = list(Condition.objects.exclude(Q(case_studies__in=reached)).order_by("name"))
    ancestors = tree.ancestors(area.pk)[1:]
    above = Region.objects.in_bulk(ancestors)
    trail = tuple(above[pk] for pk in reversed(ancestors) if pk in above)
    inside, _wide = CaseStudyFilter({}).filters["region"].case_sets(published)
    below = tuple(
        AreaCount(child.name, child.code, child.slug, len(inside[child.pk]), child.get_absolute_url())
        for child in Region.objects.filter(parent=area).order_by("position", "name")
        if inside.get(child.pk)
    )
    base = reverse("catalogue:case-list")
    return PlaceSummary(
        area=area, trail=trail, local=local, programmes=programmes, below=below,
        spread=spread, weak_principles=weak, missing_conditions=missing,
        list_href=f"{base}?{urlencode({'region': area.code})}",
        local_href=f"{base}?{urlencode({'region': area.code, 'programmes': 'exclude'})}",
    )  # fmt: skip
