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

Every filter the list shows as a group of checkboxes is a `FacetFilter`: it knows its label, its hint, how it
narrows the cases (a QuerySet method), how many cases each of its options would give (its facet counts), and
how it is said in a chip and on a booklet's cover. Adding one is a declaration here (and, for a new kind of
question, a QuerySet method); the list page, the chips, the cover, the exports and the API pick it up.

Bad input never fails the request: unknown slugs are dropped, a bad `min_score` or `sort` falls back to the
default, an over-long `q` is shortened; each such correction is described in plain words in `notices`.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from principles.models import Principle, Score

from .choices import CareSetting
from .models import CaseStudy, Region
from .querysets import strong_on
from .search import MAX_QUERY_LENGTH

DEFAULT_MIN_SCORE = Score.CLEARLY_PRESENT
MIN_SCORE_CHOICES = [(level.value, f"{level.value} ({level.label}) or stronger") for level in Score if level > 0]
MIN_SCORE_NOTICE = f"The minimum score must be 1, 2 or 3, so the default ({DEFAULT_MIN_SCORE}) was used instead."
SORT_CHOICES = [
    ("relevance", "Relevance"),
    ("title", "Title (A to Z)"),
    ("newest", "Newest in the catalogue"),
    ("strength", "Strongest on the chosen principles"),
]


def parse_min_score(raw: str | None) -> tuple[int, str | None]:
    """`min_score` as the case list reads it: 1, 2 or 3, default 2. Returns (value, notice or None)."""
    if raw is None or str(raw).strip() == "":
        return DEFAULT_MIN_SCORE, None
    if str(raw).strip() in {str(value) for value, _label in MIN_SCORE_CHOICES}:
        return int(raw), None
    return DEFAULT_MIN_SCORE, MIN_SCORE_NOTICE


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


class LenientChoiceField(django_filters.fields.ChoiceField):
    """A single choice that falls back to no value (the default) instead of an error."""

    def __init__(self, *args, **kwargs):
        self.ignored: list[str] = []
        super().__init__(*args, **kwargs)

    def clean(self, value):
        known = {str(key) for key, _ in self.choices}
        self.ignored = [str(value)] if value not in (None, "") and str(value) not in known else []
        return "" if value in (None, "") or self.ignored else str(value)


class LenientChoiceFilter(django_filters.ChoiceFilter):
    field_class = LenientChoiceField


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0  # for regions: 0 for the UK and countries, 1 for nations, 2 for English regions


# Slugs are strings; said here so the OpenAPI schema need not guess from choices read per request.
@extend_schema_field(OpenApiTypes.STR)
class FacetFilter(django_filters.MultipleChoiceFilter):
    """A filter shown as a group of checkboxes with counts. Subclasses say how it narrows the cases (`narrow`)
    and how many cases each option would give (`counts`)."""

    field_class = LenientMultipleChoiceField

    def __init__(self, *, label: str, chip_name: str = "", hint: str = "", **kwargs):
        super().__init__(label=label, **kwargs)
        self.chip_name = chip_name or label
        self.hint = hint

    def load(self) -> None:
        """Read this filter's options once per request (validation, filtering and facet labels share them)."""

    @property
    def labels(self) -> dict[str, str]:
        return {str(value): str(label) for value, label in self.extra["choices"]}

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        return self.narrow(qs, value) if value else qs

    def narrow(self, qs: QuerySet, values: list[str]) -> QuerySet:
        raise NotImplementedError

    def counts(self, cases: QuerySet) -> dict[str, int]:
        """{option: cases} among `cases` (every filter applied but this one)."""
        raise NotImplementedError

    def options(self, counts: dict[str, int], chosen: list[str]) -> list[FacetOption]:
        return [FacetOption(v, label, counts.get(v, 0), v in chosen) for v, label in self.labels.items()]

    def chip_label(self, label: str) -> str:
        return f"{self.chip_name}: {label}"

    def in_words(self, values: list[str]) -> str:
        labels = self.labels
        return f"{self.label}: {' or '.join(labels[v] for v in values)}"


class TermFilter(FacetFilter):
    """Conditions or approaches (`relation`, the case's many-to-many field): a case matches when it has any of
    the chosen terms (CaseStudyQuerySet.with_<relation>)."""

    def __init__(self, relation: str, **kwargs):
        field = CaseStudy._meta.get_field(relation)
        model = field.related_model
        super().__init__(choices=lambda: list(model.objects.values_list("slug", "name")), **kwargs)
        self.relation, self.term_model, self.links = relation, model, field.remote_field.through
        self.term_field = f"{model._meta.model_name}_id"
        self.ids: dict[str, int] = {}

    def load(self) -> None:
        rows = list(self.term_model.objects.values_list("pk", "slug", "name"))
        self.extra["choices"] = [(slug, name) for _pk, slug, name in rows]
        self.ids = {slug: pk for pk, slug, _name in rows}

    def narrow(self, qs, values):
        return getattr(qs, f"with_{self.relation}")([self.ids[slug] for slug in values])

    def counts(self, cases):
        # One GROUP BY over the link table's rows of the matching cases (a case links a term at most once).
        rows = self.links.objects.filter(casestudy_id__in=cases.order_by().values("pk")).order_by()
        slugs = {pk: slug for slug, pk in self.ids.items()}
        counted = rows.values(self.term_field).annotate(n=Count("*"))
        return {slugs[row[self.term_field]]: row["n"] for row in counted if row[self.term_field] in slugs}


class RegionFilter(FacetFilter):
    """Regions: a case matches when it is filed under a chosen region or any region below it."""

    def __init__(self, **kwargs):
        super().__init__(choices=lambda: list(Region.objects.values_list("slug", "name")), **kwargs)
        self.tree = None

    def load(self) -> None:
        self.tree = Region.objects.tree()
        self.extra["choices"] = [(node.slug, node.name) for node in self.tree.nodes]

    def narrow(self, qs, values):
        return qs.in_regions([self.tree.ids[slug] for slug in values], self.tree)

    def counts(self, cases):
        # A region's count includes its sub-regions' cases, as its filter does.
        filed = {row["region_id"]: row["n"] for row in cases.order_by().values("region_id").annotate(n=Count("*"))}
        totals = self.tree.totals(filed)
        return {node.slug: totals.get(node.pk, 0) for node in self.tree.nodes}

    def options(self, counts, chosen):
        return [
            FacetOption(node.slug, node.name, counts.get(node.slug, 0), node.slug in chosen, node.depth)
            for node in self.tree.nodes
        ]


class SettingFilter(FacetFilter):
    def __init__(self, **kwargs):
        super().__init__(choices=CareSetting.choices, **kwargs)

    def narrow(self, qs, values):
        return qs.filter(setting__in=values)

    def counts(self, cases):
        return {row["setting"]: row["n"] for row in cases.order_by().values("setting").annotate(n=Count("*"))}


class PrincipleFilter(FacetFilter):
    """Principles combine with AND: a case must reach the minimum score on every chosen principle."""

    def __init__(self, **kwargs):
        super().__init__(choices=lambda: list(Principle.objects.values_list("slug", "name")), **kwargs)
        self.principles: list[Principle] = []
        self.numbers: dict[str, int] = {}

    def load(self) -> None:
        self.principles = list(Principle.objects.all())
        self.extra["choices"] = [(p.slug, p.name) for p in self.principles]
        self.numbers = {p.slug: p.number for p in self.principles}

    def narrow(self, qs, values):
        for slug in values:
            qs = qs.strong_on(self.numbers[slug], self.parent.minimum_score)
        return qs

    def counts(self, cases):
        # An option's count keeps the other chosen principles applied: one query, a conditional count each.
        cases = self.filter(cases, self.parent.chosen_principles).order_by()
        minimum = self.parent.minimum_score
        wanted = {slug: Count("pk", filter=strong_on(number, minimum)) for slug, number in self.numbers.items()}
        return cases.aggregate(**wanted) if wanted else {}

    def chip_label(self, label):
        return f"{self.chip_name}: {label}: {self.parent.minimum_score} or stronger"

    def in_words(self, values):
        level = Score(self.parent.minimum_score)
        labels = self.labels
        names = " and ".join(labels[v] for v in values)
        return f"{self.label}: {names}, each scored {level.value} ({level.label}) or stronger"


class CaseStudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    condition = TermFilter("conditions", label="Condition or population", chip_name="Condition")
    region = RegionFilter(label="Region", hint="A nation includes its regions.")
    approach = TermFilter("approaches", label="Approach")
    setting = SettingFilter(label="Setting")
    principle = PrincipleFilter(
        label="Strong on these principles",
        chip_name="Principle",
        hint="A case must reach the minimum score on every principle you choose.",
    )
    min_score = LenientChoiceFilter(choices=MIN_SCORE_CHOICES, method="keep", label="Minimum score", empty_label=None)
    sort = LenientChoiceFilter(choices=SORT_CHOICES, method="keep", label="Sort by", empty_label=None)

    class Meta:
        model = CaseStudy
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, CaseStudy.objects.published() if queryset is None else queryset, request=request,
                         prefix=prefix)  # fmt: skip
        for facet in self.facet_filters.values():
            facet.load()

    @classmethod
    def facet_names(cls) -> list[str]:
        """The names of the filters shown with counts (each may be given several times in a query)."""
        return [name for name, f in cls.base_filters.items() if isinstance(f, FacetFilter)]

    @property
    def facet_filters(self) -> dict[str, FacetFilter]:
        """The filters shown with counts, in the order the list shows them."""
        return {name: f for name, f in self.filters.items() if isinstance(f, FacetFilter)}

    # --- values, after validation ---------------------------------------------------------------------------

    @property
    def cleaned(self) -> dict:
        self.form.is_valid()
        return self.form.cleaned_data

    def chosen(self, name: str) -> list[str]:
        return self.cleaned.get(name) or []

    @property
    def query(self) -> str:
        return " ".join((self.cleaned.get("q") or "").split())[:MAX_QUERY_LENGTH].strip()

    @property
    def minimum_score(self) -> int:
        return parse_min_score(self.cleaned.get("min_score"))[0]

    @property
    def chosen_principles(self) -> list[str]:
        return self.chosen("principle")

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
        for name, facet in self.facet_filters.items():
            ignored = self.form.fields[name].ignored
            if ignored:
                shown = ", ".join(f"“{v[:40]}”" for v in ignored[:5])
                notes.append(f"No {facet.label.lower()} matches {shown}, so it was ignored.")
        if self.form.fields["min_score"].ignored:
            notes.append(MIN_SCORE_NOTICE)
        if self.form.fields["sort"].ignored:
            notes.append("That sort order is not one we offer, so the default order was used.")
        return notes

    # --- filtering ------------------------------------------------------------------------------------------

    def keep(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        query = self.query
        return queryset.search(query) if query else queryset

    def filter_queryset(self, queryset):
        return self.ordered(super().filter_queryset(queryset))

    def ordered(self, queryset: QuerySet) -> QuerySet:
        sort = self.sort_order
        if sort == "relevance":
            return queryset.order_by("-rank", "title", "pk")
        if sort == "newest":
            return queryset.order_by("-first_published_at", "-pk")
        if sort == "strength":
            principle = self.filters["principle"]
            return queryset.by_strength([principle.numbers[slug] for slug in self.chosen_principles])
        return queryset.order_by("title", "pk")

    def queryset_without(self, facet: str) -> QuerySet:
        """The current result with every filter applied except `facet` (for counting that facet's options)."""
        queryset = self.queryset.all()
        for name, value in self.cleaned.items():
            if name not in {facet, "sort", "min_score"}:
                queryset = self.filters[name].filter(queryset, value)
        return queryset
