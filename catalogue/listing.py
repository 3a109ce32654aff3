"""What the catalogue list page shows around the FilterSet's result: chips, pages and plain-words counts.

The FilterSet (filters.py) decides which cases match; this module only presents that decision: the active
filters as removable chips, a forgiving paginator, and the result count in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from .filters import DEFAULT_MIN_SCORE, FACETS, CaseStudyFilter, FacetOption

PER_PAGE = 20
CHIP_NAMES = {
    "condition": "Condition",
    "region": "Region",
    "approach": "Approach",
    "setting": "Setting",
    "principle": "Principle",
}


@dataclass(frozen=True)
class Chip:
    """One active filter value. `params` is what {% querystring %} needs to drop just this value."""

    label: str
    params: dict[str, list[str] | None] = field(default_factory=dict)


def chips(filterset: CaseStudyFilter, facets: dict[str, list[FacetOption]]) -> list[Chip]:
    """The active search and filter values, in the order given, each with the parameters that remove it."""
    found = []
    if filterset.query:
        found.append(Chip(f"Search: “{filterset.query}”", {"q": None}))
    for name in FACETS:
        chosen = filterset.cleaned.get(name) or []
        labels = {option.value: option.label for option in facets[name]}
        for value in chosen:
            remaining = [v for v in chosen if v != value]
            label = labels.get(value, value)
            if name == "principle":
                label = f"{label}: {filterset.minimum_score} or stronger"
            found.append(Chip(f"{CHIP_NAMES[name]}: {label}", {name: remaining}))
    return found


def paginate(
    queryset: QuerySet, raw_page: str | None, per_page: int = PER_PAGE, count: int | None = None
) -> tuple[Page, str]:
    """The requested page, or the nearest real one with a plain message saying why ("" when none is needed).
    `count`, when the caller already knows how many match, saves the paginator its COUNT query."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    raw = (raw_page or "").strip()
    if not raw:
        return paginator.page(1), ""
    try:
        number = int(raw)
    except ValueError:
        return paginator.page(1), "That page number is not a number, so the first page is shown."
    if number < 1:
        return paginator.page(1), "Pages start at 1, so the first page is shown."
    if number > paginator.num_pages:
        pages = "is only one page" if paginator.num_pages == 1 else f"are only {paginator.num_pages:,} pages"
        return paginator.page(paginator.num_pages), f"There {pages} of results, so the last page is shown."
    return paginator.page(number), ""


def count_in_words(count: int) -> str:
    """ "No case studies", "1 case study", "1,234 case studies"."""
    if count == 0:
        return "No case studies"
    if count == 1:
        return "1 case study"
    return f"{count:,} case studies"


def canonical_query(filterset: CaseStudyFilter, page_number: int) -> str:
    """The query string of this view with only the valid, non-default parts, for the canonical link."""
    params: list[tuple[str, str | int]] = []
    if filterset.query:
        params.append(("q", filterset.query))
    for name in FACETS:
        params.extend((name, value) for value in filterset.cleaned.get(name) or [])
    if filterset.chosen_principles and filterset.minimum_score != DEFAULT_MIN_SCORE:
        params.append(("min_score", filterset.minimum_score))
    if filterset.cleaned.get("sort") and filterset.sort_order != filterset.default_sort_order:
        params.append(("sort", filterset.sort_order))
    if page_number > 1:
        params.append(("page", page_number))
    return urlencode(params)
