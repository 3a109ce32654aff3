"""PostgreSQL reads the documents' words as SQLite's FTS5 does, so that one query finds the same cases on both.
It sees the words only (punctuation made spaces, WORDS below) and stems them with the original Porter algorithm,
through a text search configuration `catalogue_search`: PostgreSQL's `english` with its Snowball English (Porter
2) stemmer replaced by Snowball's Porter one, keeping english's stop words. Porter 2 kept "GPs" as "gps" where
Porter makes it "gp", so `GP` found 17 cases on PostgreSQL and 21 on SQLite. The documents' vectors are rewritten.
Nothing changes on SQLite."""

from django.db import migrations

# The words only, as FTS5's unicode61 tokenizer sees them: PostgreSQL's parser would otherwise read
# `<img src="...">` as a tag and drop it, `file:///etc/passwd` as one path and "self-management" as a whole word
# besides its parts, so a query for their words found them on SQLite only.
WORDS = "regexp_replace(coalesce(NEW.{column}, ''), '[[:punct:]]', ' ', 'g')"
VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION catalogue_searchdocument_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.vector :=
      setweight(to_tsvector('{config}', {title}), 'A')
   || setweight(to_tsvector('{config}', {about}), 'B')
   || setweight(to_tsvector('{config}', {body}), 'C')
   || setweight(to_tsvector('{config}', {rationales}), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
COLUMNS = {column: WORDS.format(column=column) for column in ("title", "about", "body", "rationales")}
ORIGINAL_COLUMNS = {column: f"coalesce(NEW.{column}, '')" for column in COLUMNS}
REWRITE_VECTORS = "UPDATE catalogue_searchdocument SET title = title;"  # the trigger fires on UPDATE OF title

FORWARD = f"""
CREATE TEXT SEARCH DICTIONARY catalogue_porter (TEMPLATE = snowball, LANGUAGE = porter, STOPWORDS = english);
CREATE TEXT SEARCH CONFIGURATION catalogue_search (COPY = english);
ALTER TEXT SEARCH CONFIGURATION catalogue_search ALTER MAPPING REPLACE english_stem WITH catalogue_porter;
{VECTOR_FUNCTION.format(config="catalogue_search", **COLUMNS)}
{REWRITE_VECTORS}
"""
BACKWARD = f"""
{VECTOR_FUNCTION.format(config="english", **ORIGINAL_COLUMNS)}
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
