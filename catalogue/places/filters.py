"""Filtering by place: areas by slug or official code, the nation-wide and UK-wide programmes that cover them,
and a case's reach. The rules of what a reach allows are in reach.py; the area tree in querysets.RegionTree."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import EmptyResultSet
from django.db.models import Count

from ..choices import Reach, RegionKind
from ..filterparts import FacetFilter, FacetOption, LenientMultipleChoiceField
from ..models import Region, Site
from . import reach as reach_rules


class AreaChoiceField(LenientMultipleChoiceField):
    """Areas by slug or by code: `E12000001` (ONS GSS, any case) means `north-east`, `AU` means `australia`."""

    def __init__(self, *args, aliases=None, **kwargs):
        self.aliases = aliases or {}
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if isinstance(value, str):
            value = [value]
        return super().clean([self.aliases.get(v.strip().upper(), v) if isinstance(v, str) else v for v in value or []])


class RegionFilter(FacetFilter):
    """Areas: a case matches when it has a site in a chosen area or any area below it and, unless `programmes`
    says to leave them out, when it is a nation-wide or UK-wide programme covering that area. The list shows the
    UK, the nations, the English regions and the countries; a local authority (from the map, a place page or a
    link) is shown once chosen."""

    field_class = AreaChoiceField
    SHOWN_DEPTH = 2  # the UK and countries 0, nations 1, English regions 2; local authorities below

    def __init__(self, **kwargs):
        super().__init__(choices=lambda: list(Region.objects.values_list("slug", "name")), **kwargs)
        self.tree = None
        self.kinds: dict[int, str] = {}
        self.codes: dict[int, str] = {}
        self._sets: tuple[str, tuple] | None = None

    def load(self) -> None:
        self.tree = Region.objects.tree()
        self.kinds = {node.pk: node.kind for node in self.tree.nodes}
        self.codes = {node.pk: node.code for node in self.tree.nodes}
        self.extra["choices"] = [(node.slug, node.name) for node in self.tree.nodes]
        self.extra["aliases"] = {node.code.upper(): node.slug for node in self.tree.nodes if node.code}
        self._sets = None  # the memo of case_sets belongs to the options read now

    @property
    def programmes(self) -> bool:
        return self.parent.include_programmes

    def ids(self, values) -> list[int]:
        return [self.tree.ids[slug] for slug in values]

    def narrow(self, qs, values):
        return qs.in_areas(self.ids(values), self.tree, programmes=self.programmes)

    def counts(self, cases):
        """{area: cases} as the filter would find them: a case once per area however many of its sites are in
        it, and the programmes covering an area counted in it when they are included."""
        return {node.slug: n for node, n in zip(self.tree.nodes, self.node_counts(cases), strict=True)}

    def node_counts(self, cases, *, programmes: bool | None = None) -> list[int]:
        programmes = self.programmes if programmes is None else programmes
        inside, wide = self.case_sets(cases)
        totals = []
        for node in self.tree.nodes:
            found = inside.get(node.pk, set())
            above = [wide[a] for a in self.tree.ancestors(node.pk)[1:] if a in wide] if programmes else []
            totals.append(len(found.union(*above)) if above else len(found))
        return totals

    def case_sets(self, cases) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
        """({area: cases with a site in it or below}, {area: the wide programmes with a site exactly there}).
        The facet counts and the map ask it of the same cases in one request: the answer is kept for the query."""
        sites = Site.objects.filter(case_study__in=cases.order_by().values("pk")).order_by()
        try:
            asked = str(sites.query)
        except EmptyResultSet:  # a search with no word it wants (`-`) matches nothing: no sites to read
            return {}, {}
        if self._sets is not None and self._sets[0] == asked:
            return self._sets[1]
        self._sets = (asked, self._case_sets(sites))
        return self._sets[1]

    def _case_sets(self, sites) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
        inside: dict[int, set[int]] = defaultdict(set)
        wide: dict[int, set[int]] = defaultdict(set)
        for case, area, reach in sites.values_list("case_study_id", "region_id", "case_study__reach"):
            for above in self.tree.ancestors(area):
                inside[above].add(case)
            if reach in reach_rules.WIDE:
                wide[area].add(case)
        return inside, wide

    def programmes_among(self, result) -> int:
        """How many of `result` (filtered by this filter) are there only as programmes covering the chosen areas:
        none unless areas are chosen and programmes included."""
        chosen = self.parent.chosen(self.field_name)
        if not chosen or not self.programmes:
            return 0
        local = result.in_areas_condition(self.ids(chosen), self.tree, programmes=False)
        return result.exclude(local).count()

    def options(self, counts, chosen):
        return [
            FacetOption(node.slug, self.option_label(node), counts.get(node.slug, 0), node.slug in chosen, node.depth)
            for node in self.tree.nodes
            if node.depth <= self.SHOWN_DEPTH or node.slug in chosen
        ]

    def option_label(self, node) -> str:
        """What choosing the area does, said where the name alone could mislead."""
        kind = self.kinds.get(node.pk)
        if kind == RegionKind.UK:
            return f"{node.name}: every UK case"
        if kind == RegionKind.NATION:
            return f"{node.name}: every case in {node.name}"
        return node.name

    def in_words(self, values):
        words = super().in_words(values)
        return words if self.programmes else f"{words} (programmes covering the whole nation or UK left out)"


class ReachFilter(FacetFilter):
    def __init__(self, **kwargs):
        super().__init__(choices=Reach.choices, **kwargs)

    def narrow(self, qs, values):
        return qs.with_reach(values)

    def counts(self, cases):
        return {row["reach"]: row["n"] for row in cases.order_by().values("reach").annotate(n=Count("*"))}
