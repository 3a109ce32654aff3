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
