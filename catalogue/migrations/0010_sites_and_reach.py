"""Sites replace the one region of a case: each case's region becomes its first site (named by its place), its
reach follows from that region (the UK: UK-wide; England: nation-wide), the UK gets its own kind of area, and the
database refuses a site that contradicts its case's reach (places/reach.py words the same rules)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# The reach rules as SQL over one site: `reach` its case's reach, `kind` its area's kind, `others` the case's other
# sites, `uk_others` those of them in the UK area. Frozen here (a migration), worded as in places/reach.py.
RULES = [
    ("Only a UK-wide programme can have the whole United Kingdom as a site.", "{kind} = 'uk' AND {reach} <> 'uk-wide'"),
    ("A one-site case has exactly one site.", "{reach} = 'one-site' AND {others} > 0"),
    (
        "A nation-wide programme's sites in the UK are whole nations (England, Scotland, Wales, Northern Ireland).",
        "{reach} = 'nation-wide' AND {kind} NOT IN ('nation', 'country')",
    ),
    (
        "A UK-wide programme has one site in the UK, the United Kingdom itself (it may add sites outside the UK).",
        "{reach} = 'uk-wide' AND ({kind} NOT IN ('uk', 'country') OR ({kind} = 'uk' AND {uk_others} > 0))",
    ),
]


def _site_terms(new):
    """The rule terms for the site row `new` (NEW on insert or update)."""
    others = f"catalogue_site AS o WHERE o.case_study_id = {new}.case_study_id AND o.id IS NOT {new}.id"
    return {
        "reach": f"(SELECT reach FROM catalogue_casestudy WHERE id = {new}.case_study_id)",
        "kind": f"(SELECT kind FROM catalogue_region WHERE id = {new}.region_id)",
        "others": f"(SELECT COUNT(*) FROM {others})",
        "uk_others": f"(SELECT COUNT(*) FROM {others} AND o.region_id IN "
        "(SELECT id FROM catalogue_region WHERE kind = 'uk'))",
    }


def _case_terms(new):
    """The rule terms for every site of the case row `new` whose reach changes, as one EXISTS per rule."""
    return {
        "reach": f"{new}.reach",
        "kind": "r.kind",
        "others": f"(SELECT COUNT(*) FROM catalogue_site AS o WHERE o.case_study_id = {new}.id AND o.id <> s.id)",
        "uk_others": f"(SELECT COUNT(*) FROM catalogue_site AS o JOIN catalogue_region AS ro ON ro.id = o.region_id "
        f"WHERE o.case_study_id = {new}.id AND o.id <> s.id AND ro.kind = 'uk')",
    }


def _case_condition(rule):
    return (
        "EXISTS (SELECT 1 FROM catalogue_site AS s JOIN catalogue_region AS r ON r.id = s.region_id "
        f"WHERE s.case_study_id = NEW.id AND {rule.format(**_case_terms('NEW'))})"
    )


def _quote(text):
    return text.replace("'", "''")


SQLITE_TRIGGERS = [
    *(
        f"""CREATE TRIGGER site_fits_reach_{event.lower()} BEFORE {event} ON catalogue_site BEGIN
        {
            " ".join(
                f"SELECT RAISE(ABORT, '{_quote(message)}') WHERE {rule.format(**_site_terms('NEW'))};"
                for message, rule in RULES
            )
        }
        END"""
        for event in ("INSERT", "UPDATE")
    ),
    f"""CREATE TRIGGER case_reach_fits_sites BEFORE UPDATE OF reach ON catalogue_casestudy BEGIN
    {" ".join(f"SELECT RAISE(ABORT, '{_quote(message)}') WHERE {_case_condition(rule)};" for message, rule in RULES)}
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS site_fits_reach_insert",
    "DROP TRIGGER IF EXISTS site_fits_reach_update",
    "DROP TRIGGER IF EXISTS case_reach_fits_sites",
]


def _plpgsql(conditions):
    checks = " ".join(
        f"IF {condition} THEN RAISE EXCEPTION USING MESSAGE = '{_quote(message)}', ERRCODE = 'check_violation'; END IF;"
        for message, condition in conditions
    )
    return f"BEGIN {checks} RETURN NEW; END;"


POSTGRES_TRIGGERS = [
    "CREATE FUNCTION catalogue_site_fits_reach() RETURNS trigger LANGUAGE plpgsql AS $$ "
    + _plpgsql([(m, r.format(**_site_terms("NEW")).replace("IS NOT", "IS DISTINCT FROM")) for m, r in RULES])
    + " $$",
    "CREATE TRIGGER site_fits_reach BEFORE INSERT OR UPDATE ON catalogue_site "
    "FOR EACH ROW EXECUTE FUNCTION catalogue_site_fits_reach()",
    "CREATE FUNCTION catalogue_case_reach_fits_sites() RETURNS trigger LANGUAGE plpgsql AS $$ "
    + _plpgsql([(m, _case_condition(r)) for m, r in RULES])
    + " $$",
    "CREATE TRIGGER case_reach_fits_sites BEFORE UPDATE OF reach ON catalogue_casestudy "
    "FOR EACH ROW EXECUTE FUNCTION catalogue_case_reach_fits_sites()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS site_fits_reach ON catalogue_site",
    "DROP FUNCTION IF EXISTS catalogue_site_fits_reach()",
    "DROP TRIGGER IF EXISTS case_reach_fits_sites ON catalogue_casestudy",
    "DROP FUNCTION IF EXISTS catalogue_case_reach_fits_sites()",
]


def add_triggers(apps, schema_editor):
    statements = POSTGRES_TRIGGERS if schema_editor.connection.vendor == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    statements = POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for statement in statements:
        schema_editor.execute(statement)


def regions_to_sites(apps, schema_editor):
    """Each case's region becomes its one site; the UK becomes its own kind of area; the labels that said more
    than the area's name ("England (England-wide)") become the name."""
    Region = apps.get_model("catalogue", "Region")
    CaseStudy = apps.get_model("catalogue", "CaseStudy")
    Site = apps.get_model("catalogue", "Site")
    Region.objects.filter(code="K02000001").update(kind="uk")
    for code, old, new in [
        ("K02000001", "United Kingdom (UK-wide)", "United Kingdom"),
        ("E92000001", "England (England-wide)", "England"),
    ]:
        Region.objects.filter(code=code, name=old).update(name=new)
    for case in CaseStudy.objects.filter(region__isnull=False).select_related("region"):
        kind = case.region.kind
        case.reach = {"uk": "uk-wide", "nation": "nation-wide"}.get(kind, "one-site")
        case.save(update_fields=["reach"])
        Site.objects.create(case_study=case, region=case.region, name=(case.place or case.region.name)[:120])


def sites_to_regions(apps, schema_editor):
    CaseStudy = apps.get_model("catalogue", "CaseStudy")
    Site = apps.get_model("catalogue", "Site")
    for site in Site.objects.order_by("case_study_id", "position", "pk"):
        CaseStudy.objects.filter(pk=site.case_study_id, region__isnull=True).update(region=site.region_id)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0009_assessments_and_four_eyes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalSite",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "name",
                    models.CharField(help_text="The place as a person would say it: “West Newcastle”.", max_length=120),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
            ],
            options={
                "verbose_name": "historical site",
                "verbose_name_plural": "historical sites",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Site",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(help_text="The place as a person would say it: “West Newcastle”.", max_length=120),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "ordering": ["position", "pk"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="casestudy",
            name="published_case_has_summary_and_region",
        ),
        migrations.RemoveConstraint(
            model_name="region",
            name="region_kind_valid",
        ),
        migrations.RemoveIndex(
            model_name="casestudy",
            name="case_status_region_idx",
        ),
        migrations.RemoveField(
            model_name="historicalcasestudy",
            name="region",
        ),
        migrations.AddField(
            model_name="casestudy",
            name="reach",
            field=models.CharField(
                choices=[
                    ("one-site", "One site"),
                    ("several-sites", "Several sites"),
                    ("nation-wide", "Nation-wide programme"),
                    ("uk-wide", "UK-wide programme"),
                ],
                default="one-site",
                help_text="One site, several sites, or a programme covering whole nations or the whole UK.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="historicalcasestudy",
            name="reach",
            field=models.CharField(
                choices=[
                    ("one-site", "One site"),
                    ("several-sites", "Several sites"),
                    ("nation-wide", "Nation-wide programme"),
                    ("uk-wide", "UK-wide programme"),
                ],
                default="one-site",
                help_text="One site, several sites, or a programme covering whole nations or the whole UK.",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="historicalregion",
            name="kind",
            field=models.CharField(
                choices=[
                    ("uk", "United Kingdom"),
                    ("nation", "UK nation"),
                    ("english-region", "English region"),
                    ("local-authority", "Local authority district"),
                    ("country", "Country outside the UK"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="region",
            name="kind",
            field=models.CharField(
                choices=[
                    ("uk", "United Kingdom"),
                    ("nation", "UK nation"),
                    ("english-region", "English region"),
                    ("local-authority", "Local authority district"),
                    ("country", "Country outside the UK"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="casestudy",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "published"), _negated=True),
                    models.Q(("summary", ""), _negated=True),
                    _connector="OR",
                ),
                name="published_case_has_summary",
                violation_error_message="A published case needs a summary.",
            ),
        ),
        migrations.AddConstraint(
            model_name="casestudy",
            constraint=models.CheckConstraint(
                condition=models.Q(("reach__in", ["one-site", "several-sites", "nation-wide", "uk-wide"])),
                name="case_reach_valid",
                violation_error_message="Choose the case's reach from the list.",
            ),
        ),
        migrations.AddConstraint(
            model_name="region",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["uk", "nation", "english-region", "local-authority", "country"])),
                name="region_kind_valid",
                violation_error_message="Choose a kind of region from the list.",
            ),
        ),
        migrations.AddField(
            model_name="historicalsite",
            name="case_study",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="catalogue.casestudy",
            ),
        ),
        migrations.AddField(
            model_name="historicalsite",
            name="history_user",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="historicalsite",
            name="region",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The local authority, English region, nation or country the site is in.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="catalogue.region",
                verbose_name="area",
            ),
        ),
        migrations.AddField(
            model_name="site",
            name="case_study",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="sites", to="catalogue.casestudy"
            ),
        ),
        migrations.AddField(
            model_name="site",
            name="region",
            field=models.ForeignKey(
                help_text="The local authority, English region, nation or country the site is in.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sites",
                to="catalogue.region",
                verbose_name="area",
            ),
        ),
        migrations.RunPython(regions_to_sites, sites_to_regions),
        migrations.RemoveField(
            model_name="casestudy",
            name="region",
        ),
        migrations.AddIndex(
            model_name="site",
            index=models.Index(fields=["region", "case_study"], name="site_region_case_idx"),
        ),
        migrations.AddConstraint(
            model_name="site",
            constraint=models.CheckConstraint(
                condition=models.Q(("name", ""), _negated=True),
                name="site_name_not_empty",
                violation_error_message="A site needs a name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="site",
            constraint=models.UniqueConstraint(
                fields=("case_study", "name"),
                name="site_name_unique_in_case",
                violation_error_message="This case already has a site with this name.",
            ),
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
