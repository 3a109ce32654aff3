"""Full-text search on PostgreSQL: a weighted tsvector column kept current by a trigger, with a GIN index.

The trigger (rather than saving the vector from Python) keeps bulk inserts and raw updates searchable too.
On SQLite the column exists but stays empty; search there uses the text fields directly (catalogue/search.py).
"""

import django.contrib.postgres.search
from django.db import migrations

CREATE = """
CREATE FUNCTION catalogue_casestudy_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
      setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
   || setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B')
   || setweight(to_tsvector('english', coalesce(NEW.lead_organisation, '') || ' ' || coalesce(NEW.place, '')), 'B')
   || setweight(to_tsvector('english',
        coalesce(NEW.context, '') || ' ' || coalesce(NEW.what_they_did, '') || ' ' ||
        coalesce(NEW.sharing_power, '') || ' ' || coalesce(NEW.outcomes, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalogue_casestudy_search_vector_trigger
  BEFORE INSERT OR UPDATE OF title, summary, lead_organisation, place, context, what_they_did, sharing_power, outcomes
  ON catalogue_casestudy FOR EACH ROW EXECUTE FUNCTION catalogue_casestudy_search_vector_update();

CREATE INDEX catalogue_casestudy_search_vector_gin ON catalogue_casestudy USING gin (search_vector);

UPDATE catalogue_casestudy SET title = title;
"""

DROP = """
DROP INDEX IF EXISTS catalogue_casestudy_search_vector_gin;
DROP TRIGGER IF EXISTS catalogue_casestudy_search_vector_trigger ON catalogue_casestudy;
DROP FUNCTION IF EXISTS catalogue_casestudy_search_vector_update();
"""


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="casestudy",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_search, drop_search),
    ]
