"""Which cases match: one FilterSet for the list page, the exports, the API and the PDF booklet alike.

Query parameters (all optional, all repeatable where it makes sense):
  q           free text in the search language of search/query.py: words, "phrases", -word, OR, prefix*
  condition   condition slugs      \\
  region      area slugs or codes   |  several values of one filter widen the result (OR);
  approach    approach slugs        |  different filters narrow it (AND). An area includes the areas below it
  setting     setting values        |  (England includes London, London includes Lambeth); codes are ONS GSS
  reach       reach values         /   codes (E12000001) or ISO 3166 codes (AU).
  programmes  include (default) or exclude: nation-wide and UK-wide programmes under the places they cover
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

import django_filters
from django.db.models import Count, QuerySet

from principles.models import Principle, Score

from .choices import CareSetting
from .filterparts import FacetFilter, LenientChoiceFilter, TermFilter
from .models import CaseStudy
from .places.filters import ReachFilter, RegionFilter
from .querysets import strong_on
from .search import MAX_QUERY_LENGTH, ParsedQuery, parse

DEFAULT_MIN_SCORE = Score.CLEARLY_PRESENT
MIN_SCORE_CHOICES = [(level.value, f"{level.value} ({level.label}) or stronger") for level in Score if level > 0]
MIN_SCORE_NOTICE = f"The minimum score must be 1, 2 or 3, so the default ({DEFAULT_MIN_SCORE}) was used instead."
PROGRAMME_CHOICES = [
    ("include", "Include them under the places they cover"),
    ("exclude", "Leave them out: only cases with a site in the place"),
]
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
    region = RegionFilter(
        label="Place",
        chip_name="Place",
        hint="A nation includes its regions and local authorities. Nation-wide and UK-wide programmes covering a "
        "place are included unless you leave them out below.",
    )
    programmes = LenientChoiceFilter(
        choices=PROGRAMME_CHOICES, method="keep", label="Programmes covering a whole nation or the UK",
        empty_label=None,
    )  # fmt: skip
    reach = ReachFilter(label="Reach", hint="How far a case reaches: one site, several, or whole nations.")
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
    def parsed_query(self) -> ParsedQuery:
        """The search as read (search/query.py): what is looked for, and what of the typed text was not used."""
        if getattr(self, "_parsed", None) is None or self._parsed[0] != self.query:
            self._parsed = (self.query, parse(self.query))
        return self._parsed[1]

    @property
    def minimum_score(self) -> int:
        return parse_min_score(self.cleaned.get("min_score"))[0]

    @property
    def include_programmes(self) -> bool:
        return (self.cleaned.get("programmes") or "include") == "include"

    @property
    def chosen_principles(self) -> list[str]:
        return self.chosen("principle")

    @property
    def default_sort_order(self) -> str:
        return "relevance" if self.parsed_query.required else "title"

    @property
    def sort_order(self) -> str:
        chosen = self.cleaned.get("sort") or ""
        if chosen == "relevance" and not self.parsed_query.required:
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
        parsed = self.parsed_query
        if self.query and parsed.problems:
            why = "; ".join(parsed.problems)
            if parsed.is_empty:
                notes.append(f"Your search could not be used ({why}), so every case study is shown.")
            else:
                notes.append(f"Part of your search could not be used ({why}), so we searched for “{parsed.canonical}”.")
        for name, facet in self.facet_filters.items():
            ignored = self.form.fields[name].ignored
            if ignored:
                shown = ", ".join(f"“{v[:40]}”" for v in ignored[:5])
                notes.append(f"No {facet.label.lower()} matches {shown}, so it was ignored.")
        if self.form.fields["min_score"].ignored:
            notes.append(MIN_SCORE_NOTICE)
        if self.form.fields["programmes"].ignored:
            notes.append(
                "Programmes covering a whole nation or the UK can be included or left out, so they were included."
            )
        if self.form.fields["sort"].ignored:
            notes.append("That sort order is not one we offer, so the default order was used.")
        return notes

    # --- filtering ------------------------------------------------------------------------------------------

    def keep(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        parsed = self.parsed_query
        return queryset if parsed.is_empty else queryset.search(parsed)

    def filter_queryset(self, queryset):
        return self.ordered(super().filter_queryset(queryset))

    def ordered(self, queryset: QuerySet) -> QuerySet:
        sort = self.sort_order
        if sort == "relevance":
            return queryset.by_relevance()
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
            if name not in {facet, "sort", "min_score", "programmes"}:
                queryset = self.filters[name].filter(queryset, value)
        return queryset
