"""The project's migrations run forward, back to zero, and forward again, leaving a usable schema."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from catalogue.models import CaseStudy

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PROJECT_APPS = ["catalogue", "principles"]


def table_names() -> set[str]:
    with connection.cursor():
        return set(connection.introspection.table_names())


def test_migrations_apply_forward_and_back_to_zero():
    ours = {t for t in table_names() if t.split("_")[0] in PROJECT_APPS}
    assert ours
    for app in reversed(PROJECT_APPS):  # catalogue depends on principles: unapply it first
        call_command("migrate", app, "zero", verbosity=0)
    left = {t for t in table_names() if t.split("_")[0] in PROJECT_APPS}
    assert not left, left
    call_command("migrate", verbosity=0)
    assert {t for t in table_names() if t.split("_")[0] in PROJECT_APPS} == ours
    call_command("load_catalogue", verbosity=0)  # and the schema is usable again
    assert CaseStudy.objects.exists()


def test_each_cases_region_becomes_its_site_and_reach():
    """Migration 0010 on a catalogue of the old shape: the UK's case becomes UK-wide, England's nation-wide, a
    region's one-site; the UK becomes its own kind of area and loses its "(UK-wide)" label."""
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("catalogue", "0009_assessments_and_four_eyes")], [("catalogue", "0010_sites_and_reach")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    region, case = old.get_model("catalogue", "Region"), old.get_model("catalogue", "CaseStudy")
    uk = region.objects.create(slug="united-kingdom", name="United Kingdom (UK-wide)", kind="nation", code="K02000001")
    england = region.objects.create(slug="england", name="England (England-wide)", kind="nation", code="E92000001",
                                    parent=uk)  # fmt: skip
    london = region.objects.create(slug="london", name="London", kind="english-region", code="E12000007",
                                   parent=england)  # fmt: skip
    for slug, area, place in [("shared", uk, "Across the UK"), ("trainers", england, ""), ("bank", london, "Catford")]:
        case.objects.create(slug=slug, title=slug, lead_organisation="O", place=place, region=area, setting="health")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    case, region = new.get_model("catalogue", "CaseStudy"), new.get_model("catalogue", "Region")
    found = {c.slug: (c.reach, [(s.name, s.region.slug) for s in c.sites.all()]) for c in case.objects.all()}
    assert found == {
        "shared": ("uk-wide", [("Across the UK", "united-kingdom")]),
        "trainers": ("nation-wide", [("England", "england")]),  # named after its area, as renamed
        "bank": ("one-site", [("Catford", "london")]),
    }
    assert region.objects.get(slug="united-kingdom").kind == "uk"
    assert region.objects.get(slug="united-kingdom").name == "United Kingdom"
    assert region.objects.get(slug="england").name == "England"
    call_command("migrate", verbosity=0)
