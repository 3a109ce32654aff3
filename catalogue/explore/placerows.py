"""The place axis of the gap matrix: the UK, its nations, the English regions and the countries outside the UK,
then the programmes covering a whole nation or the whole UK, each in a row of its own.

A case with one site or several counts in every row whose area holds a site of it (or an area below it), once
however many of its sites are there: a case in Lambeth and Leeds is in London's row, Yorkshire's and once in
England's. A nation-wide or UK-wide programme is counted once, in its own row ("UK-wide programmes",
"Nation-wide programmes: England"), and not in every region it covers: added to each of them it would swell
every row by the same few programmes and hide where local work is missing.

Each row says which filters of the case list it stands for (`Heading.filters`), so a cell's link lists exactly
the cases it counts: an area's row asks for its area without programmes and for the local reaches only
(`programmes=exclude&reach=one-site&reach=several-sites`; without the reach a nation-wide programme filed
under England would be back in England's row), a programme row for its reach in its nation or the UK.

The database counts: one query for the areas (one GROUP BY per depth of the tree, joined by UNION ALL, as each
site falls under one row at each depth) and one for the programmes. Each answers cases per (row, stored
profile), so Python reads the scores from the profile and never sees a case on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Case, Count, IntegerField, Value, When

from principles.models import Principle

from .. import profile
from ..choices import Reach, RegionKind, Status
from ..models import Region, Site
from ..querysets import RegionTree
from .rows import Heading, Tally

ROW_KINDS = frozenset({RegionKind.UK, RegionKind.NATION, RegionKind.ENGLISH_REGION, RegionKind.COUNTRY})
LOCAL = (Reach.ONE_SITE, Reach.SEVERAL_SITES)
AREA_FILTERS = (("programmes", "exclude"), *(("reach", reach) for reach in LOCAL))


def area_key(pk: int) -> str:
    return f"area-{pk}"


def programme_key(pk: int) -> str:
    return f"programmes-{pk}"


def place_headings(tree: RegionTree, kinds: dict[int, str]) -> list[Heading]:
    """The area rows in tree order (local authorities left out: 361 rows would bury the pattern), then the
    UK-wide programmes and the nation-wide programmes of each nation."""
    areas = [node for node in tree.nodes if kinds.get(node.pk) in ROW_KINDS]
    headings = [Heading(area_key(n.pk), n.slug, n.name, n.depth, (("region", n.slug), *AREA_FILTERS)) for n in areas]
    for node in areas:
        if kinds[node.pk] == RegionKind.UK:
            name, reach = "UK-wide programmes", Reach.UK_WIDE
        elif kinds[node.pk] == RegionKind.NATION:
            name, reach = f"Nation-wide programmes: {node.name}", Reach.NATION_WIDE
        else:
            continue
        headings.append(
            Heading(programme_key(node.pk), f"{reach}-{node.slug}", name, 0, (("region", node.slug), ("reach", reach)))
        )
    return headings


def row_areas_by_depth(tree: RegionTree, kinds: dict[int, str]) -> dict[int, dict[int, list[int]]]:
    """{depth: {row area: every area in it or below it}}: at one depth each area lies in at most one row."""
    levels: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for node in tree.nodes:
        if kinds.get(node.pk) in ROW_KINDS:
            levels[node.depth][node.pk] = sorted(tree.with_descendants([node.pk]))
    return dict(sorted(levels.items()))


def place_tally(
    min_score: int, tree: RegionTree, kinds: dict[int, str], principles: Sequence[Principle] | None = None
) -> Tally:
    """The totals of every place row (keys as in place_headings), in two queries."""
    principles = [p for p in (principles or Principle.objects.all()) if 1 <= p.number <= profile.PRINCIPLE_COUNT]
    published = Site.objects.filter(case_study__status=Status.PUBLISHED).order_by()
    per_depth = [
        published.filter(case_study__reach__in=LOCAL, region_id__in=sorted({a for ids in rows.values() for a in ids}))
        .annotate(
            row=Case(
                *(When(region_id__in=ids, then=Value(pk)) for pk, ids in rows.items()),
                output_field=IntegerField(),
            )
        )
        .values("row", "case_study__profile")
        .annotate(n=Count("case_study", distinct=True))
        .values_list("row", "case_study__profile", "n")
        for rows in row_areas_by_depth(tree, kinds).values()
    ]
    counted: list[tuple[str, str, int]] = []
    if per_depth:
        # order_by(): the combined query would otherwise take Site's default ordering, which SQLite refuses.
        union = per_depth[0].union(*per_depth[1:], all=True).order_by()
        counted += [(area_key(pk), stored, n) for pk, stored, n in union]
    wide_areas = sorted(pk for pk, kind in kinds.items() if kind in {RegionKind.UK, RegionKind.NATION})
    programmes = (
        published.filter(region_id__in=wide_areas, case_study__reach__in=[Reach.UK_WIDE, Reach.NATION_WIDE])
        .values("region_id", "case_study__profile")
        .annotate(n=Count("case_study", distinct=True))
        .values_list("region_id", "case_study__profile", "n")
    )
    counted += [(programme_key(pk), stored, n) for pk, stored, n in programmes]
    return tally_from_profiles(counted, principles, min_score)


def tally_from_profiles(counted, principles: Sequence[Principle], min_score: int) -> Tally:
    """A Tally from (row key, stored profile, cases) triples: the scores are read from the profile."""
    cases: dict[str, int] = defaultdict(int)
    strong: dict[tuple[str, int], tuple[int, int]] = {}
    for key, stored, n in counted:
        cases[key] += n
        for p in principles:
            score = profile.score_at(stored, p.number)
            if score is not None and score >= min_score:
                count, subtotal = strong.get((key, p.pk), (0, 0))
                strong[(key, p.pk)] = (count + n, subtotal + score * n)
    return Tally(dict(cases), strong)


def area_kinds() -> dict[int, str]:
    return dict(Region.objects.values_list("pk", "kind"))
