"""A selection of cases said two ways, by one set of rules: as the query string that gives it back, and in
words. The list page's chips and canonical link, and a booklet's cover and its links, all describe a selection
through these functions, from the FilterSet's valid values only (unknown values never appear).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from .filters import DEFAULT_MIN_SCORE, CaseStudyFilter


@dataclass(frozen=True)
class Chip:
    """One active filter value. `params` is what {% querystring %} needs to drop just this value."""

    label: str
    params: dict[str, list[str] | None] = field(default_factory=dict)


def query_params(filterset: CaseStudyFilter, *, without: frozenset[str] = frozenset(), page: int = 1) -> list[tuple]:
    """The selection's query parameters as (name, value) pairs: its valid, non-default parts only, in a fixed
    order, leaving out the parameters named in `without`."""
    parsed = filterset.parsed_query  # a search partly unreadable is kept as what was searched for
    query = parsed.canonical if filterset.query and parsed.problems else filterset.query
    params: list[tuple[str, str | int]] = [("q", query)] if query else []
    for name in filterset.facet_filters:
        params.extend((name, value) for value in filterset.chosen(name))
    if not filterset.include_programmes:
        params.append(("programmes", "exclude"))
    if filterset.chosen_principles and filterset.minimum_score != DEFAULT_MIN_SCORE:
        params.append(("min_score", filterset.minimum_score))
    if filterset.cleaned.get("sort") and filterset.sort_order != filterset.default_sort_order:
        params.append(("sort", filterset.sort_order))
    if page > 1:
        params.append(("page", page))
    return [(name, value) for name, value in params if name not in without]


def query_string(filterset: CaseStudyFilter, page: int = 1) -> str:
    """The selection's query string: its valid, non-default parts only, in a fixed order."""
    return urlencode(query_params(filterset, page=page))


def in_words(filterset: CaseStudyFilter, *, with_order: bool = True) -> tuple[str, ...]:
    """Each active filter as a line of plain words (and the order, for a booklet's cover)."""
    lines = [f"Search: “{filterset.query}”"] if filterset.query else []
    for name, facet in filterset.facet_filters.items():
        if values := filterset.chosen(name):
            lines.append(facet.in_words(values))
    if not lines:
        lines.append("All published case studies (no filters chosen)")
    if with_order:
        lines.append(f"In order of: {dict(filterset.form.fields['sort'].choices)[filterset.sort_order].lower()}")
    return tuple(lines)


def chips(filterset: CaseStudyFilter) -> list[Chip]:
    """The active search and filter values, in the order given, each with the parameters that remove it."""
    found = [Chip(f"Search: “{filterset.query}”", {"q": None})] if filterset.query else []
    for name, facet in filterset.facet_filters.items():
        chosen = filterset.chosen(name)
        labels = facet.labels
        for value in chosen:
            remaining = [v for v in chosen if v != value]
            found.append(Chip(facet.chip_label(labels.get(value, value)), {name: remaining}))
    if not filterset.include_programmes:
        found.append(Chip("Nation-wide and UK-wide programmes left out", {"programmes": None}))
    return found
