"""What a query asks for that the case list would ignore or correct, each under its parameter, for the readers that
refuse such a query (the API, the exports and the feed answer 400 with these messages) rather than give a person
a notice and the nearest sensible list (the pages, filters.CaseStudyFilter.notices).

A program cannot read a notice: `?region=E99999999`, `?regoin=london` or `?min_score=5` must never give it every
case as if it were the answer. The messages name the form a value takes or where the valid values are listed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.http import JsonResponse, QueryDict

from .choices import CareSetting, Reach
from .filters import MIN_SCORE_CHOICES, PROGRAMME_CHOICES, SORT_CHOICES, CaseStudyFilter
from .opendata.codecs import echo
from .search import MAX_QUERY_LENGTH

MAX_LISTED = 10  # the most unknown values of one parameter a message lists

AREA_FORM = "give an area slug or an ONS GSS (E12000001) or ISO 3166 (AU) code; see /api/regions/."
REACH_FORM = "give one of " + ", ".join(Reach.values) + "."
PROGRAMMES_FORM = "give " + " or ".join(value for value, _label in PROGRAMME_CHOICES) + "."
MIN_SCORE_FORM = "give " + ", ".join(str(value) for value, _label in MIN_SCORE_CHOICES) + "."
SETTING_FORM = "give one of " + ", ".join(CareSetting.values) + "."
SORT_FORM = "give one of " + ", ".join(value for value, _label in SORT_CHOICES) + "."

# How each filter that may be given several times says one value is unknown.
UNKNOWN_VALUE = {
    "condition": lambda value: f"Unknown condition '{value}': give a slug from /api/conditions/.",
    "approach": lambda value: f"Unknown approach '{value}': give a slug from /api/approaches/.",
    "region": lambda value: f"Unknown area '{value}': {AREA_FORM}",
    "reach": lambda value: f"Unknown reach '{value}': {REACH_FORM}",
    "setting": lambda value: f"Unknown setting '{value}': {SETTING_FORM}",
    "principle": lambda value: f"Unknown principle '{value}': give a slug from /api/principles/.",
}
# The parameters that take one value, and what to give instead of a value that is not one of theirs.
SINGLE_VALUED = {
    "q": None,  # any text; see the query checks below
    "programmes": lambda value: f"Unknown programmes value '{value}': {PROGRAMMES_FORM}",
    "min_score": lambda value: f"Unknown minimum score '{value}': {MIN_SCORE_FORM}",
    "sort": lambda value: f"Unknown sort order '{value}': {SORT_FORM}",
}


class QueryRefused(Exception):
    """A query a strict reader will not answer; `problems` is what problems() found."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__(problems)
        self.problems = problems


def refusing(view):
    """`view`, answering a QueryRefused raised inside it with the 400 that names each bad parameter."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except QueryRefused as refused:
            return JsonResponse(refused.problems, status=400)

    return wrapped


def one_value(count: int) -> str:
    return f"Give one value, not {count}."


def checked(data: QueryDict, others: Iterable[str] = (), **filterset_kwargs) -> CaseStudyFilter:
    """The FilterSet of `data`, or QueryRefused when problems() finds any."""
    filterset = CaseStudyFilter(data, **filterset_kwargs)
    if found := problems(filterset, data, others):
        raise QueryRefused(found)
    return filterset


def problems(filterset: CaseStudyFilter, data: QueryDict, others: Iterable[str] = ()) -> dict[str, list[str]]:
    """{parameter: [messages]} for every parameter of `data` the list would not take as given; {} when none.

    `others` are the reader's own parameters (e.g. page and page_size), which it checks itself."""
    filterset.form.is_valid()
    known = set(filterset.filters) | set(others)
    found: dict[str, list[str]] = {}
    unknown = sorted(name for name in data if name not in known)
    for name in unknown[:MAX_LISTED]:
        found[echo(name)] = [f"Unknown parameter. The parameters are: {', '.join(sorted(known))}."]
    for name, say in UNKNOWN_VALUE.items():
        ignored = filterset.form.fields[name].ignored
        if ignored:
            found[name] = [say(echo(value)) for value in ignored[:MAX_LISTED]]
    for name, say in SINGLE_VALUED.items():
        values = data.getlist(name)
        if len(values) > 1:
            found[name] = [one_value(len(values))]
        elif say and filterset.form.fields[name].ignored:
            found[name] = [say(echo(values[0]))]
    query_problems = _query_problems(data.get("q") or "", filterset)
    if query_problems and "q" not in found:
        found["q"] = query_problems
    return found


def _query_problems(raw: str, filterset: CaseStudyFilter) -> list[str]:
    if len(" ".join(raw.split())) > MAX_QUERY_LENGTH:
        return [f"The search is longer than {MAX_QUERY_LENGTH} characters."]
    parsed = filterset.parsed_query
    if filterset.query and parsed.problems:
        return [f"The search could not be read as given ({'; '.join(parsed.problems)}): see /api/schema/ for "
                "its language."]  # fmt: skip
    return []
