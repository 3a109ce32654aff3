"""The catalogue's questions, asked once each: QuerySet methods that the FilterSet, the insights, the principle
pages, the exports and the PDFs all call, and the region tree they share.

Score levels are read from each case's stored profile (profile.py): "strong on principle p at level n" is one
character of one column, so a filter, a facet count and an insights cell ask it the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import add

from django.db import models, transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, Substr, Trim
from django.db.models.lookups import In

from . import profile, search
from .choices import AssessorRole, Status
from .places import reach as reach_rules

# Two profiles are "close" when their scores differ by at most this much in total over the six principles
# (on average less than one level apart on each).
SIMILAR_MAX_DISTANCE = 4


def score_on(number: int) -> Substr:
    """The stored profile's character for the principle numbered `number`."""
    return Substr("profile", number, 1)


def strong_on(number: int, minimum: int) -> Q:
    """Scores at least `minimum` on the principle numbered `number` (membership, not a string comparison, so no
    collation can reorder "-" and the digits)."""
    return Q(In(score_on(number), profile.symbols_at_least(minimum)))


def score_value(number: int) -> Case:
    """The score on the principle numbered `number` as a number, 0 where unscored."""
    return Case(
        *(When(**{f"score_{number}": str(level)}, then=Value(level)) for level in (3, 2, 1)),
        default=Value(0),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class RegionNode:
    pk: int
    slug: str
    name: str
    parent_id: int | None
    depth: int  # 0 for the UK and countries outside it, 1 for nations, 2 for English regions, 3 for districts
    code: str = ""
    kind: str = ""


class RegionTree:
    """Every area and its parent, read in one query, with the walks the filters, facets, insights and the map
    share."""

    def __init__(self, rows: Iterable[tuple]):
        rows = [(*row, "", "")[:6] for row in rows]  # (pk, slug, name, parent_id, code, kind) in display order
        self.parents = {row[0]: row[3] for row in rows}
        self.ids = {row[1]: row[0] for row in rows}
        children: dict[int | None, list[tuple]] = defaultdict(list)
        for row in rows:
            children[row[3] if row[3] in self.parents else None].append(row)
        ordered: list[RegionNode] = []
        stack = [(row, 0) for row in reversed(children[None])]
        seen: set[int] = set()
        while stack:
            (pk, slug, name, parent, code, kind), depth = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            ordered.append(RegionNode(pk, slug, name, parent, depth, code, kind))
            stack.extend((child, depth + 1) for child in reversed(children.get(pk, [])))
        # An area caught in a loop of parents (which PROTECT and the admin never make) is still listed.
        ordered += [RegionNode(*row[:4], 0, *row[4:]) for row in rows if row[0] not in seen]
        self.nodes = ordered
        self._children = {pk: [row[0] for row in kids] for pk, kids in children.items()}

    def with_descendants(self, pks: Iterable[int]) -> set[int]:
        """The regions given and every region below them (England: England and its regions)."""
        found: set[int] = set()
        stack = list(pks)
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(self._children.get(pk, []))
        return found

    def ancestors(self, pk: int) -> list[int]:
        """The region and every region above it (London: London, England, United Kingdom)."""
        chain: list[int] = []
        current: int | None = pk
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parents.get(current)
        return chain

    def totals(self, counts: dict[int | None, int]) -> dict[int, int]:
        """{region: cases in it or below it} from {region: cases filed directly under it}."""
        totals: dict[int, int] = defaultdict(int)
        for pk, count in counts.items():
            if pk is not None:
                for ancestor in self.ancestors(pk):
                    totals[ancestor] += count
        return dict(totals)


class RegionQuerySet(models.QuerySet):
    def tree(self) -> RegionTree:
        fields = ("pk", "slug", "name", "parent_id", "code", "kind")
        return RegionTree(self.order_by("position", "name").values_list(*fields))


def sees_unpublished(user) -> bool:
    """Whether `user` may see drafts and cases in review: active staff only."""
    return user is not None and user.is_active and user.is_staff


class CaseStudyQuerySet(models.QuerySet):
    def published(self) -> CaseStudyQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user) -> CaseStudyQuerySet:
        """Published cases for the public; every case for staff, who may preview drafts."""
        return self.all() if sees_unpublished(user) else self.published()

    # --- what is loaded with each case ----------------------------------------------------------------------

    def with_everything(self) -> CaseStudyQuerySet:
        """Everything about each case (sites with their areas, conditions, approaches, scores with their principles
        in principle order, outcome figures, sources): seven queries in all, however many cases."""
        scores = self.model._meta.get_field("scores").related_model
        return self.prefetch_related(
            self.sites_prefetch(),
            "conditions",
            "approaches",
            "outcome_figures",
            "sources",
            Prefetch("scores", queryset=scores.objects.select_related("principle").order_by("principle__number")),
        )

    def for_listing(self) -> CaseStudyQuerySet:
        """What a list of cases shows (a case card): title, place, summary, reach, sites and conditions, and the
        stored profile that its compact profile is drawn from."""
        fields = ["title", "slug", "place", "summary", "status", "profile", "reach"]
        return self.prefetch_related(self.sites_prefetch(), "conditions").only(*fields)

    def listed(self, ids: list[int]) -> list:
        """The cases with these ids, loaded for a list (for_listing), in the order of `ids`. A page is chosen as
        ids first and its rows read after: sorting a search's matches with their whole rows in tow cost SQLite
        twice the time (bench/results/2026-12-04-vm-100000-relevance.md)."""
        loaded = self.filter(pk__in=ids).for_listing().in_bulk()
        return [loaded[pk] for pk in ids if pk in loaded]

    def sites_prefetch(self) -> Prefetch:
        sites = self.model.sites.field.model.objects.select_related("region").order_by("position", "pk")
        return Prefetch("sites", queryset=sites)

    # --- which cases ---------------------------------------------------------------------------------------

    # Many-to-many filters match through a subquery on the link table (by id, not joined back to the cases): a
    # join would repeat a case once per matching term and need DISTINCT.
    def with_conditions(self, condition_ids: Sequence[int]) -> CaseStudyQuerySet:
        """Cases with at least one of these conditions."""
        links = self.model.conditions.through.objects.filter(condition_id__in=condition_ids)
        return self.filter(pk__in=links.values("casestudy_id"))

    def with_approaches(self, approach_ids: Sequence[int]) -> CaseStudyQuerySet:
        """Cases with at least one of these approaches."""
        links = self.model.approaches.through.objects.filter(approach_id__in=approach_ids)
        return self.filter(pk__in=links.values("casestudy_id"))

    def in_areas(
        self, area_ids: Iterable[int], tree: RegionTree | None = None, *, programmes: bool = True
    ) -> CaseStudyQuerySet:
        """Cases with a site in these areas or any area below them (England includes London, London includes
        Lambeth) and, with `programmes`, the nation-wide and UK-wide programmes that cover them (a site in an
        area above: Shared Lives, UK-wide, is found under North East)."""
        return self.filter(self.in_areas_condition(area_ids, tree, programmes=programmes))

    def in_areas_condition(self, area_ids: Iterable[int], tree: RegionTree | None = None, *, programmes: bool) -> Q:
        site_model = self.model.sites.field.model
        sites = site_model.objects
        tree = tree or site_model.region.field.related_model.objects.tree()
        area_ids = list(area_ids)
        inside = sorted(tree.with_descendants(area_ids))
        condition = Q(Exists(sites.filter(case_study=OuterRef("pk"), region_id__in=inside)))
        above = sorted({a for pk in area_ids for a in tree.ancestors(pk)[1:]} - set(inside))
        if programmes and above:
            covering = sites.filter(case_study=OuterRef("pk"), region_id__in=above)
            condition |= Q(reach__in=sorted(reach_rules.WIDE)) & Q(Exists(covering))
        return condition

    def with_reach(self, reaches: Sequence[str]) -> CaseStudyQuerySet:
        return self.filter(reach__in=reaches)

    def strong_on(self, number: int, minimum: int) -> CaseStudyQuerySet:
        """Cases scoring at least `minimum` on the principle numbered `number`."""
        return self.filter(strong_on(number, minimum))

    def by_strength(self, numbers: Sequence[int]) -> CaseStudyQuerySet:
        """Strongest first: the sum of the scores on these principles (all six when none are given)."""
        numbers = list(numbers) or list(range(1, profile.PRINCIPLE_COUNT + 1))
        scores = self.alias(**{f"score_{n}": score_on(n) for n in numbers})
        strength = reduce(add, (score_value(n) for n in numbers))
        return scores.annotate(strength=strength).order_by("-strength", "title", "pk")

    def search(self, query: str | search.ParsedQuery) -> CaseStudyQuerySet:
        """Cases matching the query language of search/query.py, annotated with `rank` (higher is more relevant).
        A query with nothing to look for leaves the cases as they are (rank 0); `-word` alone keeps every case
        without the word."""
        parsed = search.parse(query) if isinstance(query, str) else query
        return search.search(self, parsed)

    def by_relevance(self) -> CaseStudyQuerySet:
        """A search's cases, most relevant first; equal ranks in the order the cases were added. Not by title: on
        SQLite that tie-break reads every match's row to sort (bench/results/2026-12-04-vm-100000-relevance.md)."""
        return self.order_by("-rank", "pk")

    def similar_to(self, case, limit: int = 3) -> list:
        """Up to `limit` cases of this QuerySet sharing a condition or an approach with `case` whose principle
        profile is close to its own, each with `distance` and `shared` set.

        Closest profile first (`distance`: profile.distance, at most SIMILAR_MAX_DISTANCE), then most shared
        conditions and approaches (`shared`), then title. The stored profiles are looked up ring by ring,
        nearest first (profile.rings), so the work depends on how many cases sit near the profile, not on the
        size of the catalogue: one query per ring until `limit` are found, then one to load them. `case` should
        come with its conditions and approaches prefetched, or they cost a query each.
        """
        mine = case.profile
        condition_ids = [c.pk for c in case.conditions.all()]
        approach_ids = [a.pk for a in case.approaches.all()]
        if mine == profile.EMPTY or not (condition_ids or approach_ids):
            return []
        # Sharing is counted from each candidate's own terms (a few rows each, joined after the profile index
        # has picked the candidates). An empty list of ids would void the whole query, so it is left out.
        counts = [
            Count(relation, filter=Q(**{f"{relation}__in": ids}), distinct=True)
            for relation, ids in [("conditions", condition_ids), ("approaches", approach_ids)]
            if ids
        ]
        candidates = (
            self.prefetch_related(None)  # only keys and counts here; the chosen cases are loaded below
            .exclude(pk=case.pk)
            .annotate(shared=sum(counts[1:], counts[0]))
            .filter(shared__gt=0)
            .order_by("-shared", "title", "pk")
        )
        # A principle `case` has not scored does not count, so only its scored positions are compared: the
        # whole stored profile (the index) when all six are scored, otherwise those characters of it.
        scored = [position for position, symbol in enumerate(mine, start=1) if symbol != profile.UNSCORED]
        if len(scored) < profile.PRINCIPLE_COUNT:
            parts = [score_on(position) for position in scored]
            candidates = candidates.alias(profile_part=Concat(*parts) if len(parts) > 1 else parts[0])
            mine, compared = "".join(mine[position - 1] for position in scored), "profile_part"
        else:
            compared = "profile"
        found: list[tuple[int, int, int]] = []  # (pk, distance, shared), in the order they will be shown
        for distance, ring in enumerate(profile.rings(mine, SIMILAR_MAX_DISTANCE)):
            if ring:
                in_ring = candidates.filter(**{f"{compared}__in": ring}).values_list("pk", "shared")
                found += [(pk, distance, shared) for pk, shared in in_ring[: limit - len(found)]]
            if len(found) >= limit:
                break
        loaded = self.in_bulk([pk for pk, _, _ in found])
        similar = []
        for pk, distance, shared in found:
            other = loaded[pk]
            other.distance, other.shared = distance, shared
            similar.append(other)
        return similar

    # --- assessments and moderation (the admin's queue; assessing.compare says the same of one case) ----------

    def with_assessment_flags(self, *, far_apart: int) -> CaseStudyQuerySet:
        """Each case annotated with `independent_count` (its independent editor assessments), `ratings_far_apart`
        (two of them `far_apart` or more points apart on a principle) and `awaits_moderation`."""
        return self.with_independent_count().annotate(
            ratings_far_apart=self._editor_ratings_apart(far_apart),
            awaits_moderation=self._awaiting_moderation(),
        )

    def with_independent_count(self) -> CaseStudyQuerySet:
        """Each case annotated with `independent_count`: how many independent editor assessments it has."""
        return self.annotate(independent_count=self._independent_count())

    def ratings_far_apart(self, points: int) -> CaseStudyQuerySet:
        """Cases two of whose independent editor ratings of one principle are `points` or more apart."""
        return self.filter(self._editor_ratings_apart(points))

    def short_of_assessments(self, needed: int) -> CaseStudyQuerySet:
        """Cases with fewer than `needed` independent editor assessments (none included)."""
        return self.alias(independent=self._independent_count()).filter(independent__lt=needed)

    def awaiting_moderation(self) -> CaseStudyQuerySet:
        """Cases with a principle whose independent editor ratings differ and whose agreed score does not (yet)
        say why it is what it is: none is agreed, or it has no moderation reason."""
        return self.filter(self._awaiting_moderation())

    def _assessment_models(self) -> tuple[type[models.Model], type[models.Model]]:
        assessment = self.model._meta.get_field("assessments").related_model
        return assessment, assessment._meta.get_field("scores").related_model

    def _independent_count(self) -> Coalesce:
        assessment, _ = self._assessment_models()
        counted = (
            assessment.objects.filter(case_study=OuterRef("pk"), role=AssessorRole.EDITOR)
            .order_by()
            .values("case_study")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    def _editor_ratings(self, case: OuterRef) -> models.QuerySet:
        _, score = self._assessment_models()
        return score.objects.filter(assessment__case_study=case, assessment__role=AssessorRole.EDITOR)

    def _editor_ratings_apart(self, points: int) -> Exists:
        """An editor rating of the case with another editor's rating of the same principle `points` higher."""
        higher = self._editor_ratings(OuterRef(OuterRef("pk"))).filter(
            principle=OuterRef("principle"), score__gte=OuterRef("score") + points
        )
        return Exists(self._editor_ratings(OuterRef("pk")).filter(Exists(higher)))

    def _awaiting_moderation(self) -> Exists:
        agreed_model = self.model._meta.get_field("scores").related_model
        explained = (
            agreed_model.objects.filter(case_study=OuterRef(OuterRef("pk")), principle=OuterRef("principle"))
            .alias(reason=Trim("moderation_reason"))
            .exclude(reason="")
        )
        differing = self._editor_ratings(OuterRef(OuterRef("pk"))).filter(
            principle=OuterRef("principle"), score__gt=OuterRef("score")
        )
        return Exists(self._editor_ratings(OuterRef("pk")).filter(Exists(differing), ~Exists(explained)))

    # --- derived data --------------------------------------------------------------------------------------

    def refresh_profiles(self, batch_size: int = 2000) -> dict[int, str]:
        """Recompute the stored profile of these cases from their scores; return the new profile of each case
        that changed. Writes with bulk_update (no history row, no signal): the caller's own write of the scores
        has already told the caches (caching.bump) that the catalogue changed."""
        scores_model = self.model._meta.get_field("scores").related_model
        ids = list(self.order_by("pk").values_list("pk", flat=True))
        cases = self.model.objects.using(self.db)
        changed: dict[int, str] = {}
        with transaction.atomic(using=self.db):
            for start in range(0, len(ids), batch_size):
                chunk = ids[start : start + batch_size]
                stored = dict(cases.filter(pk__in=chunk).values_list("pk", "profile"))
                scores: dict[int, dict[int, int]] = {pk: {} for pk in stored}
                rows = scores_model.objects.using(self.db).filter(case_study_id__in=chunk)
                for case_id, number, score in rows.values_list("case_study_id", "principle__number", "score"):
                    scores.setdefault(case_id, {})[number] = score
                stale = [self.model(pk=pk, profile=profile.encode(scores[pk])) for pk in stored]
                stale = [case for case in stale if case.profile != stored[case.pk]]
                cases.bulk_update(stale, ["profile"], batch_size=500)
                changed |= {case.pk: case.profile for case in stale}
        return changed
