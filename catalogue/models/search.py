"""Each case's search document, and (on SQLite) the FTS5 index over the documents.

`SearchDocument` holds the text searched, in four columns weighted from the title down (search/__init__.py);
search/index.py writes it whenever a case or anything it shows changes. The database indexes it by itself
(migration 0013): on SQLite an FTS5 external-content table kept in step by triggers, on PostgreSQL a weighted
tsvector column kept by a trigger, with a GIN index.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Lookup

from .case import CaseStudy


class SearchDocument(models.Model):
    case_study = models.OneToOneField(
        CaseStudy, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField(blank=True)
    about = models.TextField(blank=True)  # summary, organisation, partners, places, conditions, approaches
    body = models.TextField(blank=True)  # the body sections and outcome figure statements
    rationales = models.TextField(blank=True)  # the score rationales
    # PostgreSQL: kept by the trigger of migration 0013 and indexed with GIN; unused (empty) on SQLite.
    vector = SearchVectorField(null=True, editable=False)

    def __str__(self) -> str:
        return self.title


class MatchField(models.TextField):
    """FTS5's hidden column named after its table, which MATCH is asked of (and bm25() is given)."""


@MatchField.register_lookup
class Match(Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", (*lhs_params, *rhs_params)


class SearchIndexRow(models.Model):
    """A row of the SQLite FTS5 table (rowid = the case's id); made and kept by the database's triggers."""

    document = models.OneToOneField(
        CaseStudy, on_delete=models.DO_NOTHING, primary_key=True, db_column="rowid", db_constraint=False,
        related_name="search_index",
    )  # fmt: skip
    fts = MatchField(db_column="catalogue_search_index")

    class Meta:
        managed = False
        db_table = "catalogue_search_index"

    def __str__(self) -> str:
        return str(self.pk)
