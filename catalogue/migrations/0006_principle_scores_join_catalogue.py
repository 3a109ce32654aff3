"""PrincipleScore and its history join the catalogue app (they left principles' state in principles 0003).

State only: the tables keep their names and rows. The content types are relabelled, so the permissions that
point at them (and the Editors group that holds those permissions, and admin's log) follow the models.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

SCORE_CHOICES = [(0, "Not evident"), (1, "Emerging"), (2, "Clearly present"), (3, "Defining feature")]
MOVED = ["principlescore", "historicalprinciplescore"]


def relabel_content_types(apps, schema_editor, source="principles", target="catalogue"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label=source, model__in=MOVED).update(app_label=target)


def relabel_back(apps, schema_editor):
    relabel_content_types(apps, schema_editor, source="catalogue", target="principles")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0005_listing_indexes"),
        ("principles", "0003_scores_move_to_catalogue"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PrincipleScore",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("score", models.PositiveSmallIntegerField(choices=SCORE_CHOICES)),
                        (
                            "rationale",
                            models.TextField(
                                help_text="One or two sentences: why this score, with something specific."
                            ),
                        ),
                        ("assessed_by", models.CharField(help_text="Who made this assessment.", max_length=150)),
                        (
                            "assessed_on",
                            models.DateField(default=django.utils.timezone.localdate, help_text="When it was made."),
                        ),
                        (
                            "case_study",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="scores",
                                to="catalogue.casestudy",
                            ),
                        ),
                        (
                            "principle",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="scores",
                                to="principles.principle",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "principles_principlescore",
                        "ordering": ["principle__number"],
                        "indexes": [
                            models.Index(
                                fields=["principle", "score", "case_study"], name="score_principle_score_case_idx"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("case_study", "principle"), name="one_score_per_principle"),
                            models.CheckConstraint(
                                condition=models.Q(("score__gte", 0), ("score__lte", 3)), name="score_between_0_and_3"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("rationale", ""), _negated=True), name="score_has_rationale"
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalPrincipleScore",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("score", models.PositiveSmallIntegerField(choices=SCORE_CHOICES)),
                        (
                            "rationale",
                            models.TextField(
                                help_text="One or two sentences: why this score, with something specific."
                            ),
                        ),
                        ("assessed_by", models.CharField(help_text="Who made this assessment.", max_length=150)),
                        (
                            "assessed_on",
                            models.DateField(default=django.utils.timezone.localdate, help_text="When it was made."),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "case_study",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="catalogue.casestudy",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "principle",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="principles.principle",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "principles_historicalprinciplescore",
                        "verbose_name": "historical principle score",
                        "verbose_name_plural": "historical principle scores",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, relabel_back),
    ]
