"""When nothing matches: which one filter value or search term to drop, and how many cases each would give."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict

from .filters import CaseStudyFilter
from .selection import chips, query_params

MAX_SUGGESTIONS = 8


@dataclass(frozen=True)
class Suggestion:
    label: str  # "Without Place: North East"
    query: str  # the list's query string without it
    count: int


def _with(params: list[tuple], changes: dict) -> list[tuple]:
    kept = [(name, value) for name, value in params if name not in changes]
    for name, values in changes.items():
        if values:
            kept += [(name, value) for value in ([values] if isinstance(values, str) else values)]
    return kept


def _count(params: list[tuple], queryset) -> int:
    data = QueryDict(mutable=True)
    for name, value in params:
        data.appendlist(name, str(value))
    return CaseStudyFilter(data, queryset=queryset).qs.count()


def suggestions(filterset: CaseStudyFilter) -> list[Suggestion]:
    """For a selection with no results: each filter value and each search term whose removal alone gives
    results, with that count, most results first."""
    params = query_params(filterset, without=frozenset({"sort", "page"}))
    queryset = filterset.queryset
    options: list[tuple[str, list[tuple]]] = []
    parsed = filterset.parsed_query
    terms = [(" OR ".join(t.text for t in group), parsed.without_group(i)) for i, group in enumerate(parsed.required)]
    terms += [(f"-{t.text}", parsed.without_excluded(i)) for i, t in enumerate(parsed.excluded)]
    if len(terms) > 1:
        for text, rest in terms:
            shown = text.replace('"', "")
            options.append((f"Without “{shown}” in the search", _with(params, {"q": rest.canonical})))
    for chip in chips(filterset):
        label = "Without the search" if "q" in chip.params else f"Without {chip.label}"
        options.append((label, _with(params, chip.params)))
    found = []
    for label, changed in options:
        count = _count(changed, queryset)
        if count:
            found.append(Suggestion(label, urlencode(changed), count))
    found.sort(key=lambda s: -s.count)
    return found[:MAX_SUGGESTIONS]
