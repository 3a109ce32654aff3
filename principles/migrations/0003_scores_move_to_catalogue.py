"""PrincipleScore (and its history) now belong to the catalogue app: the models leave this app's state here and
join catalogue's in catalogue 0006, while their tables stay exactly as they are (no database operation)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("principles", "0002_scale_indexes"),
        ("catalogue", "0005_listing_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalPrincipleScore"),
                migrations.DeleteModel(name="PrincipleScore"),
            ],
            database_operations=[],
        ),
    ]
