"""Which cases match: one FilterSet for the list page, the exports, the API and the PDF booklet alike.

Query parameters (all optional, all repeatable where it makes sense):
  q           free text, web search syntax (see search.py)
  condition   condition slugs      \\
  region      region slugs          |  several values of one filter widen the result (OR);
  approach    approach slugs        |  different filters narrow it (AND). A region includes its sub-regions
  setting     setting values       /   (England includes London).
  principle   principle slugs: a case matches when it scores at least `min_score` on every chosen principle
  min_score   1, 2 or 3 (default 2)
  sort        relevance (default with q), title (default otherwise), newest, strength

Bad input never fails the request: unknown slugs are dropped, a bad `min_score` or `sort` falls back to the
default, an over-long `q` is shortened; each such correction is described in plain words in `notices`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from principles.models import Principle, PrincipleScore, Score

from .models import Approach, CaseStudy, Condition, Region, Setting
from .search import MAX_QUERY_LENGTH

DEFAULT_MIN_SCORE = Score.CLEARLY_PRESENT
MIN_SCORE_CHOICES = [(level.value, f"{level.value} ({level.label}) or stronger") for level in Score if level > 0]
SORT_CHOICES = [
    ("relevance", "Relevance"),
    ("title", "Title (A to Z)"),
    ("newest", "Newest in the catalogue"),
    ("strength", "Strongest on the chosen principles"),
]
FACETS = ["condition", "region", "approach", "setting", "principle"]
CONDITION_LINKS = CaseStudy.conditions.through
APPROACH_LINKS = CaseStudy.approaches.through


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values and remembers the rest, so one unknown slug does not void the whole filter."""

    def __init__(self, *args, **kwargs):
        self.ignored: list[str] = []
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if isinstance(value, str):  # a plain dict of data (not a QueryDict) may give one value as a string
            value = [value]
        values = [v for v in (value or []) if isinstance(v, str) and v.strip()]
        known = {str(key) for key, _ in self.choices}
        self.ignored = [v for v in values if v not in known]
        # Keep the order given, without repeats.
        return list(dict.fromkeys(v for v in values if v in known))


# Slugs are strings; said here so the OpenAPI schema need not guess from choices computed per request.
@extend_schema_field(OpenApiTypes.STR)
class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


class LenientChoiceField(django_filters.fields.ChoiceField):
    """A single choice that falls back to no value (the default) instead of an error."""

    def __init__(self, *args, **kwargs):
        self.ignored: list[str] = []
        super().__init__(*args, **kwargs)

    def clean(self, value):
        known = {str(key) for key, _ in self.choices}
        if value in (None, ""):
            self.ignored = []
            return ""
        if str(value) not in known:
            self.ignored = [str(value)]
            return ""
        self.ignored = []
        return str(value)


class LenientChoiceFilter(django_filters.ChoiceFilter):
    field_class = LenientChoiceField


def slug_choices(model) -> callable:
    return lambda: list(model.objects.values_list("slug", "name"))


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0  # for regions: 0 for the UK and countries, 1 for nations, 2 for English regions


class CaseStudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    condition = LenientMultipleChoiceFilter(
        choices=slug_choices(Condition), method="filter_condition", label="Condition or population"
    )
    region = LenientMultipleChoiceFilter(choices=slug_choices(Region), method="filter_region", label="Region")
    approach = LenientMultipleChoiceFilter(choices=slug_choices(Approach), method="filter_approach", label="Approach")
    setting = LenientMultipleChoiceFilter(choices=Setting.choices, method="filter_setting", label="Setting")
    principle = LenientMultipleChoiceFilter(
        choices=slug_choices(Principle), method="filter_principle", label="Strong on these principles"
    )
    min_score = LenientChoiceFilter(choices=MIN_SCORE_CHOICES, method="keep", label="Minimum score", empty_label=None)
    sort = LenientChoiceFilter(choices=SORT_CHOICES, method="keep", label="Sort by", empty_label=None)

    class Meta:
        model = CaseStudy
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = CaseStudy.objects.published()
        super().__init__(data, queryset, request=request, prefix=prefix)
        self._region_rows: list[tuple[str, str, str | None, str | None]] | None = None
        self._region_ids: dict[str, int] = {}
        # Read each taxonomy once per request: validation, the filters (by id) and the facet labels share it.
        self.ids: dict[str, dict[str, int]] = {}
        for name, model in [("condition", Condition), ("approach", Approach), ("principle", Principle)]:
            rows = list(model.objects.values_list("pk", "slug", "name"))
            self.form.fields[name].choices = [(slug, label) for _, slug, label in rows]
            self.ids[name] = {slug: pk for pk, slug, _ in rows}
        self.form.fields["region"].choices = [(slug, name) for slug, name, _, _ in self.region_rows()]

    # --- values, after validation ---------------------------------------------------------------------------

    @property
    def cleaned(self) -> dict:
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def query(self) -> str:
        return " ".join((self.cleaned.get("q") or "").split())[:MAX_QUERY_LENGTH].strip()

    @property
    def minimum_score(self) -> int:
        value = self.cleaned.get("min_score")
        return int(value) if value else DEFAULT_MIN_SCORE

    @property
    def chosen_principles(self) -> list[str]:
        return self.cleaned.get("principle") or []

    @property
    def default_sort_order(self) -> str:
        return "relevance" if self.query else "title"

    @property
    def sort_order(self) -> str:
        chosen = self.cleaned.get("sort") or ""
        if chosen == "relevance" and not self.query:
            return "title"
        return chosen or self.default_sort_order

    @property
    def notices(self) -> list[str]:
        """Plain-words notes about parts of the query that were ignored or corrected."""
        self.form.is_valid()
        notes = []
        raw_q = " ".join((self.form.data.get("q") or "").split()) if self.form.data else ""
        if len(raw_q) > MAX_QUERY_LENGTH:
            notes.append(f"Your search was too long, so only its first {MAX_QUERY_LENGTH} characters were used.")
        for name in ["condition", "region", "approach", "setting", "principle"]:
            ignored = self.form.fields[name].ignored
            if ignored:
                shown = ", ".join(f"“{v[:40]}”" for v in ignored[:5])
                notes.append(f"No {self.form.fields[name].label.lower()} matches {shown}, so it was ignored.")
        if self.form.fields["min_score"].ignored:
            notes.append(f"The minimum score must be 1, 2 or 3, so the default ({DEFAULT_MIN_SCORE}) was used instead.")
        if self.form.fields["sort"].ignored:
            notes.append("That sort order is not one we offer, so the default order was used.")
        return notes

    # --- filtering ------------------------------------------------------------------------------------------

    def keep(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        query = self.query
        return queryset.search(query) if query else queryset

    # Many-to-many filters match through a subquery rather than a join: a join would repeat a case once per
    # matching term, which needs DISTINCT and would multiply the scores summed by the "strength" sort. The
    # subqueries read the link tables (and the scores' index) by id alone, not joined back to the cases.
    def filter_condition(self, queryset, name, values):
        if not values:
            return queryset
        ids = [self.ids["condition"][slug] for slug in values]
        return queryset.filter(pk__in=CONDITION_LINKS.objects.filter(condition_id__in=ids).values("casestudy_id"))

    def filter_approach(self, queryset, name, values):
        if not values:
            return queryset
        ids = [self.ids["approach"][slug] for slug in values]
        return queryset.filter(pk__in=APPROACH_LINKS.objects.filter(approach_id__in=ids).values("casestudy_id"))

    def filter_setting(self, queryset, name, values):
        return queryset.filter(setting__in=values) if values else queryset

    def filter_region(self, queryset, name, values):
        if not values:
            return queryset
        region_ids = self.region_ids()
        return queryset.filter(region_id__in=[region_ids[slug] for slug in self.region_with_descendants(values)])

    def filter_principle(self, queryset, name, values):
        for slug in values:
            # One condition per principle: a case must reach the minimum on every chosen principle.
            strong = PrincipleScore.objects.filter(
                principle_id=self.ids["principle"][slug], score__gte=self.minimum_score
            )
            queryset = queryset.filter(pk__in=strong.values("case_study_id"))
        return queryset

    def region_with_descendants(self, slugs: list[str]) -> set[str]:
        tree = self.region_tree()
        found, stack = set(), list(slugs)
        while stack:
            slug = stack.pop()
            if slug not in found:
                found.add(slug)
                stack.extend(tree.get(slug, []))
        return found

    def region_rows(self) -> list[tuple[str, str, str | None, str | None]]:
        """Every region as (slug, name, parent slug, grandparent slug), in display order (one query, cached)."""
        if self._region_rows is None:
            fields = ("pk", "slug", "name", "parent__slug", "parent__parent__slug")
            rows = list(Region.objects.values_list(*fields))
            self._region_ids = {slug: pk for pk, slug, *_ in rows}
            self._region_rows = [tuple(row[1:]) for row in rows]
        return self._region_rows

    def region_ids(self) -> dict[str, int]:
        self.region_rows()
        return self._region_ids

    def region_tree(self) -> dict[str, list[str]]:
        tree: dict[str, list[str]] = defaultdict(list)
        for slug, _name, parent, _grandparent in self.region_rows():
            if parent:
                tree[parent].append(slug)
        return dict(tree)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return self.ordered(queryset)

    def ordered(self, queryset: QuerySet) -> QuerySet:
        sort = self.sort_order
        if sort == "relevance":
            return queryset.order_by("-rank", "title", "pk")
        if sort == "newest":
            return queryset.order_by("-first_published_at", "-pk")
        if sort == "strength":
            chosen = self.chosen_principles
            principle_filter = Q(scores__principle__slug__in=chosen) if chosen else Q()
            strength = Coalesce(Sum("scores__score", filter=principle_filter), 0, output_field=IntegerField())
            return queryset.annotate(strength=strength).order_by("-strength", "title", "pk")
        return queryset.order_by("title", "pk")

    # --- facet counts ---------------------------------------------------------------------------------------

    def queryset_without(self, facet: str) -> QuerySet:
        """The current result with every filter applied except `facet` (for counting that facet's options)."""
        queryset = self.queryset.all()
        for name, value in self.cleaned.items():
            if name == facet or name in {"sort", "min_score"}:
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def count_from(self, facets: dict[str, list[FacetOption]]) -> int:
        """How many cases match, read off the facet counts instead of counted again: every case has exactly one
        setting (the database checks it is one of Setting's), and the setting counts apply every other filter,
        so the chosen settings' counts (all of them when none is chosen) add up to the result."""
        chosen = [option for option in facets["setting"] if option.selected]
        return sum(option.count for option in chosen or facets["setting"])

    def facets(self) -> dict[str, list[FacetOption]]:
        """Every option of every filter with how many results choosing it would give (one query per facet)."""
        chosen = {name: set(self.cleaned.get(name) or []) for name in FACETS}
        return {
            "condition": self._term_facet("condition", "condition_id", chosen),
            "approach": self._term_facet("approach", "approach_id", chosen),
            "region": self._region_facet(chosen),
            "setting": self._setting_facet(chosen),
            "principle": self._principle_facet(chosen),
        }

    # Each count is one GROUP BY over the matching cases or their rows in a link table, with no DISTINCT: a case
    # has one setting and one region, and at most one link to a term and one score for a principle (unique).

    def _counts(self, facet: str, field: str) -> dict:
        """{value of `field`: cases} over the cases matching every filter but `facet`."""
        rows = self.queryset_without(facet).order_by().values(field).annotate(n=Count("*"))
        return {row[field]: row["n"] for row in rows}

    def _link_counts(self, facet: str, rows: QuerySet, case_field: str, term_field: str, cases: QuerySet) -> dict:
        """{term slug: cases} from the rows of a link table (or the scores) of the `cases` given."""
        slugs = {pk: slug for slug, pk in self.ids[facet].items()}
        counted = rows.filter(**{f"{case_field}__in": cases.order_by().values("pk")}).order_by().values(term_field)
        return {slugs[row[term_field]]: row["n"] for row in counted.annotate(n=Count("*")) if row[term_field] in slugs}

    def _term_facet(self, facet, field, chosen) -> list[FacetOption]:
        links = CONDITION_LINKS if facet == "condition" else APPROACH_LINKS
        counts = self._link_counts(facet, links.objects.all(), "casestudy_id", field, self.queryset_without(facet))
        return [
            FacetOption(slug, name, counts.get(slug, 0), slug in chosen[facet])
            for slug, name in self.form.fields[facet].choices
        ]

    def _setting_facet(self, chosen) -> list[FacetOption]:
        counts = self._counts("setting", "setting")
        return [
            FacetOption(value, label, counts.get(value, 0), value in chosen["setting"])
            for value, label in Setting.choices
        ]

    def _region_facet(self, chosen) -> list[FacetOption]:
        by_id = self._counts("region", "region_id")
        counts = {slug: by_id.get(pk, 0) for slug, pk in self.region_ids().items()}
        regions = self.region_rows()
        totals: dict[str, int] = defaultdict(int)
        for slug, _name, parent, grandparent in regions:
            # A region's count includes its sub-regions' cases, as its filter does.
            for ancestor in (slug, parent, grandparent):
                if ancestor:
                    totals[ancestor] += counts.get(slug, 0)
        # List each region under its parent (the UK, then England and its regions, ...), keeping their order.
        children: dict[str | None, list[tuple]] = defaultdict(list)
        for row in regions:
            children[row[2]].append(row)
        ordered, stack = [], list(reversed(children[None]))
        while stack:
            row = stack.pop()
            ordered.append(row)
            stack.extend(reversed(children.get(row[0], [])))
        ordered += [row for row in regions if row not in ordered]  # an orphan whose parent is missing
        return [
            FacetOption(slug, name, totals.get(slug, 0), slug in chosen["region"], depth=bool(parent) + bool(grand))
            for slug, name, parent, grand in ordered
        ]

    def _principle_facet(self, chosen) -> list[FacetOption]:
        # Principles combine with AND, so an option's count keeps the other chosen principles applied.
        cases = self.filters["principle"].filter(self.queryset_without("principle"), self.chosen_principles)
        strong = PrincipleScore.objects.filter(score__gte=self.minimum_score)
        counts = self._link_counts("principle", strong, "case_study_id", "principle_id", cases)
        return [
            FacetOption(slug, name, counts.get(slug, 0), slug in chosen["principle"])
            for slug, name in self.form.fields["principle"].choices
        ]
