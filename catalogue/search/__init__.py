"""The catalogue's search: one query language (query.py) on SQLite and PostgreSQL alike.

Each case has a search document (models/search.py, kept in step by index.py): its title; its summary,
organisation, partners, places and the names of its conditions and approaches; its body sections and outcome
figure statements; its score rationales. Those four columns are weighted in that order, so a title match ranks
above a rationale match.

- SQLite: an FTS5 external-content table over the documents (`tokenize='porter unicode61'`), kept in step by
  triggers (migration 0013), ranked by bm25 with the column weights below.
- PostgreSQL: a weighted tsvector column of the documents (A to D), kept by a trigger and indexed with GIN,
  ranked by ts_rank; the query is built as `to_tsquery('catalogue_search', ...)` text (english with the original
  Porter stemmer, as FTS5's, migration 0014) (websearch_to_tsquery has no
  prefix search).

Results carry `rank` (higher is more relevant); snippets.py marks the terms in a short snippet, the same way
on both databases.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, FloatField, Func, QuerySet, Value

from .query import ParsedQuery, parse

__all__ = ["MAX_QUERY_LENGTH", "ParsedQuery", "parse", "search"]

MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "catalogue_search"  # english, stemmed by Porter as FTS5 stems (migration 0014)
FTS_TABLE = "catalogue_search_index"
# bm25 weights of the FTS5 columns (title, about, body, rationales) and ts_rank's weights of D, C, B, A.
FTS5_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
TS_RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]


class Bm25(Func):
    """-bm25(): FTS5's relevance with the column weights, negated so that higher is better."""

    output_field = FloatField()

    def __init__(self, expression):
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra):
        weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
        return super().as_sql(compiler, connection, template=f"(-bm25(%(expressions)s, {weights}))", **extra)


def search(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """The cases of `queryset` matching `parsed`, annotated with `rank`."""
    if parsed.is_empty:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if connections[queryset.db].vendor == "postgresql":
        tsquery = SearchQuery(parsed.compile_tsquery(), search_type="raw", config=SEARCH_CONFIG)
        vector = F("search_document__vector")
        return queryset.filter(search_document__vector=tsquery).annotate(
            rank=SearchRank(vector, tsquery, weights=TS_RANK_WEIGHTS)
        )
    index_rows = queryset.model._meta.apps.get_model("catalogue", "SearchIndexRow")  # no import: models import us
    if parsed.required:
        matched = queryset.filter(search_index__fts__match=parsed.compile_fts5())
        return matched.annotate(rank=Bm25(F("search_index__fts")))
    excluded = index_rows.objects.filter(fts__match=parsed.fts5_excluded()).values("document_id")
    return queryset.exclude(pk__in=excluded).annotate(rank=Value(0.0, output_field=FloatField()))
