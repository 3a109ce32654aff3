"""Free-text search with web search syntax, on PostgreSQL and on SQLite.

PostgreSQL: full-text search over a weighted `search_vector` column (title A, summary B, organisation and
place B, body sections C), kept up to date by a database trigger and indexed with GIN; the query is parsed by
PostgreSQL's own `websearch_to_tsquery` and results are ranked by `ts_rank`.

SQLite (the zero-set-up default): the same syntax is parsed here, every word must appear somewhere in the
searchable text (case-insensitive), "quoted phrases" must appear as written, -word excludes, and `or` between
words offers alternatives. Results are ranked with the same idea as PostgreSQL's weights: a word found in the
title counts most, then the summary, organisation and place, then the body sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import add, and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When

MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "english"
# The text fields searched, highest weight first (the weights themselves live in the PostgreSQL trigger).
SEARCHED_FIELDS = [
    "title",
    "summary",
    "lead_organisation",
    "place",
    "context",
    "what_they_did",
    "sharing_power",
    "outcomes",
]

# How much one word counts where it is found, as the PostgreSQL trigger weights them (A, B, C).
SQLITE_WEIGHTS = {"title": 1.0, "summary_org_place": 0.4, "body": 0.2}

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    text: str
    negated: bool = False
    phrase: bool = False


def parse(query: str) -> list[list[Term]]:
    """Parse web search syntax into alternatives (joined by `or`), each a list of terms that must all hold.

    >>> parse('peer "time bank" -london or timebank')
    [[Term('peer'), Term('time bank', phrase=True), Term('london', negated=True)], [Term('timebank')]]
    """
    alternatives: list[list[Term]] = [[]]
    for match in _TOKEN.finditer(query):
        minus, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or":
                if alternatives[-1]:
                    alternatives.append([])
                continue
            negated = word.startswith("-") and len(word) > 1
            text = word[1:] if negated else word
            text = text.strip("\"'")
            if text and any(ch.isalnum() for ch in text):
                alternatives[-1].append(Term(text, negated=negated))
        elif phrase is not None and phrase.strip():
            alternatives[-1].append(Term(" ".join(phrase.split()), negated=bool(minus), phrase=True))
    return [terms for terms in alternatives if any(not t.negated for t in terms)]


def _contains(text: str) -> Q:
    return reduce(or_, (Q(**{f"{field}__icontains": text}) for field in SEARCHED_FIELDS))


def sqlite_condition(query: str) -> Q | None:
    """A Q object for the parsed query, or None when the query has no searchable words."""
    alternatives = parse(query)
    if not alternatives:
        return None
    return reduce(
        or_,
        (
            reduce(and_, (~_contains(t.text) if t.negated else _contains(t.text) for t in terms))
            for terms in alternatives
        ),
    )


def sqlite_rank(query: str) -> Case | Value:
    """A relevance expression for SQLite: for each wanted word or phrase, the weight of the best field holding it."""
    wanted = dict.fromkeys(t.text for terms in parse(query) for t in terms if not t.negated)
    if not wanted:
        return Value(0.0, output_field=FloatField())

    def weight(text: str) -> Case:
        return Case(
            When(title__icontains=text, then=Value(SQLITE_WEIGHTS["title"])),
            When(
                Q(summary__icontains=text) | Q(lead_organisation__icontains=text) | Q(place__icontains=text),
                then=Value(SQLITE_WEIGHTS["summary_org_place"]),
            ),
            default=Value(SQLITE_WEIGHTS["body"]),
            output_field=FloatField(),
        )

    return reduce(add, (weight(text) for text in wanted))


def postgresql_search(queryset: QuerySet, query: str) -> QuerySet:
    """The cases of `queryset` matching `query` in the weighted `search_vector`, annotated with `rank`."""
    tsquery = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    # Filter on the match itself (a rank above 0 would ignore "-word" exclusions), rank only to order.
    return queryset.filter(search_vector=tsquery).annotate(rank=SearchRank(F("search_vector"), tsquery))
