"""Search documents: one per case, with what is searched in four weighted columns (models/search.py), and the
full-text index over them, kept in step by the database itself:

- SQLite: an FTS5 external-content table `catalogue_search_index` (porter stemming over unicode61 words, accents
  kept as PostgreSQL keeps them) and the three triggers that keep it in step with the documents' table.
- PostgreSQL: the documents' weighted tsvector (title A, about B, body C, rationales D), kept by a trigger and
  indexed with GIN. The case table's old vector (migration 0002), which covered fewer fields, goes.

The documents of the cases already there are written at the end (search/index.py, with the models as they are
here).
"""

import importlib

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

import catalogue.models.search

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE catalogue_search_index USING fts5(
        title, about, body, rationales,
        content='catalogue_searchdocument', content_rowid='case_study_id',
        tokenize='porter unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER catalogue_searchdocument_ai AFTER INSERT ON catalogue_searchdocument BEGIN
        INSERT INTO catalogue_search_index(rowid, title, about, body, rationales)
        VALUES (new.case_study_id, new.title, new.about, new.body, new.rationales);
    END""",
    """CREATE TRIGGER catalogue_searchdocument_ad AFTER DELETE ON catalogue_searchdocument BEGIN
        INSERT INTO catalogue_search_index(catalogue_search_index, rowid, title, about, body, rationales)
        VALUES ('delete', old.case_study_id, old.title, old.about, old.body, old.rationales);
    END""",
    """CREATE TRIGGER catalogue_searchdocument_au AFTER UPDATE ON catalogue_searchdocument BEGIN
        INSERT INTO catalogue_search_index(catalogue_search_index, rowid, title, about, body, rationales)
        VALUES ('delete', old.case_study_id, old.title, old.about, old.body, old.rationales);
        INSERT INTO catalogue_search_index(rowid, title, about, body, rationales)
        VALUES (new.case_study_id, new.title, new.about, new.body, new.rationales);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS catalogue_searchdocument_au",
    "DROP TRIGGER IF EXISTS catalogue_searchdocument_ad",
    "DROP TRIGGER IF EXISTS catalogue_searchdocument_ai",
    "DROP TABLE IF EXISTS catalogue_search_index",
]
POSTGRESQL_CREATE = """
CREATE FUNCTION catalogue_searchdocument_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.vector :=
      setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
   || setweight(to_tsvector('english', coalesce(NEW.about, '')), 'B')
   || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C')
   || setweight(to_tsvector('english', coalesce(NEW.rationales, '')), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalogue_searchdocument_vector_trigger
  BEFORE INSERT OR UPDATE OF title, about, body, rationales
  ON catalogue_searchdocument FOR EACH ROW EXECUTE FUNCTION catalogue_searchdocument_vector_update();

CREATE INDEX catalogue_searchdocument_vector_gin ON catalogue_searchdocument USING gin (vector);
"""
POSTGRESQL_DROP = """
DROP INDEX IF EXISTS catalogue_searchdocument_vector_gin;
DROP TRIGGER IF EXISTS catalogue_searchdocument_vector_trigger ON catalogue_searchdocument;
DROP FUNCTION IF EXISTS catalogue_searchdocument_vector_update();
"""
OLD = importlib.import_module("catalogue.migrations.0002_search_vector")


def drop_old_vector(apps, schema_editor):
    OLD.drop_search(apps, schema_editor)


def restore_old_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD.CREATE)


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_CREATE)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)


def write_documents(apps, schema_editor):
    from catalogue.search import index

    index.rebuild(schema_editor.connection.alias, apps)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0012_error_report_corrections"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchIndexRow",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_index",
                        serialize=False,
                        to="catalogue.casestudy",
                    ),
                ),
                ("fts", catalogue.models.search.MatchField(db_column="catalogue_search_index")),
            ],
            options={
                "db_table": "catalogue_search_index",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "case_study",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="catalogue.casestudy",
                    ),
                ),
                ("title", models.TextField(blank=True)),
                ("about", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("rationales", models.TextField(blank=True)),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
        ),
        migrations.RunPython(drop_old_vector, restore_old_vector),
        migrations.RemoveField(
            model_name="casestudy",
            name="search_vector",
        ),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(write_documents, migrations.RunPython.noop),
    ]
