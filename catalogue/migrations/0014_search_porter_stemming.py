"""PostgreSQL stems with the original Porter algorithm, as SQLite's FTS5 does, so that one query finds the same
cases on both: a text search configuration `catalogue_search`, PostgreSQL's `english` with its Snowball English
(Porter 2) stemmer replaced by Snowball's Porter one, keeping english's stop words. Porter 2 kept "GPs" as "gps"
where Porter makes it "gp", so `GP` found 17 cases on PostgreSQL and 21 on SQLite. The documents' vectors are
rewritten with it. Nothing changes on SQLite.
"""

from django.db import migrations

VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION catalogue_searchdocument_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.vector :=
      setweight(to_tsvector('{config}', coalesce(NEW.title, '')), 'A')
   || setweight(to_tsvector('{config}', coalesce(NEW.about, '')), 'B')
   || setweight(to_tsvector('{config}', coalesce(NEW.body, '')), 'C')
   || setweight(to_tsvector('{config}', coalesce(NEW.rationales, '')), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
REWRITE_VECTORS = "UPDATE catalogue_searchdocument SET title = title;"  # the trigger fires on UPDATE OF title

FORWARD = f"""
CREATE TEXT SEARCH DICTIONARY catalogue_porter (TEMPLATE = snowball, LANGUAGE = porter, STOPWORDS = english);
CREATE TEXT SEARCH CONFIGURATION catalogue_search (COPY = english);
ALTER TEXT SEARCH CONFIGURATION catalogue_search ALTER MAPPING REPLACE english_stem WITH catalogue_porter;
{VECTOR_FUNCTION.format(config="catalogue_search")}
{REWRITE_VECTORS}
"""
BACKWARD = f"""
{VECTOR_FUNCTION.format(config="english")}
{REWRITE_VECTORS}
DROP TEXT SEARCH CONFIGURATION IF EXISTS catalogue_search;
DROP TEXT SEARCH DICTIONARY IF EXISTS catalogue_porter;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0013_search_documents"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
