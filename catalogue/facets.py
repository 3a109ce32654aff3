"""Facet counts: for every option of every filter the list shows, how many cases choosing it would give.

Each FacetFilter (filters.py) counts its own options over the cases matching every other filter; this module
gathers them into what the list and home pages show, and caches them per choice of filters until the next edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import caching
from .filterparts import FacetOption
from .filters import CaseStudyFilter


@dataclass(frozen=True)
class Facet:
    """One filter group: its parameter name, legend and hint, and every option with its count."""

    name: str
    legend: str
    hint: str
    options: tuple[FacetOption, ...]

    def with_cases(self) -> list[FacetOption]:
        """The options some case has (the home page's ways in)."""
        return [option for option in self.options if option.count]


def count(filterset: CaseStudyFilter) -> dict[str, Facet]:
    """Every facet of the FilterSet, in the list's order: one query per facet."""
    found = {}
    for name, facet in filterset.facet_filters.items():
        counts = facet.counts(filterset.queryset_without(name))
        options = tuple(facet.options(counts, filterset.chosen(name)))
        found[name] = Facet(name, facet.label, facet.hint, options)
    return found


def choice_of_filters(filterset: CaseStudyFilter) -> dict:
    """What the counts depend on: every filter's valid values, the search, the minimum score and whether wide
    programmes count under the places they cover (not the sort order or the page)."""
    params = {name: filterset.chosen(name) for name in filterset.facet_filters}
    return params | {
        "q": filterset.query, "min_score": filterset.minimum_score, "programmes": filterset.include_programmes,
    }  # fmt: skip


def cached(filterset: CaseStudyFilter) -> dict[str, Facet]:
    """count(filterset), cached per choice of filters until the next edit."""
    return caching.cached("facets", choice_of_filters(filterset), lambda: count(filterset))


def fragment_key(filterset: CaseStudyFilter) -> str:
    """The key of the list page's rendered filter column: the same choice of filters, under the same catalogue
    version, so the column is rendered once per choice and shared by every page and sort order of it."""
    return caching.key("filter-column", choice_of_filters(filterset))
