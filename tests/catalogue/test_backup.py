"""Data safety: migrations run forward and back to zero; an import killed part-way leaves nothing behind;
backup and restore round-trip a catalogue exactly."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from catalogue.models import Approach, CaseStudy, Condition, Region
from principles.models import Principle

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT_APPS = ["catalogue", "principles"]
only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL test (run with DATABASE_URL=postgres://...)"
)


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


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@only_postgresql
def test_a_content_load_killed_part_way_leaves_no_partial_data():
    """load_catalogue is SIGKILLed (no clean-up can run) after it has written some cases; nothing remains."""
    script = textwrap.dedent(
        """
        import os, signal, django
        django.setup()
        from catalogue.models import CaseStudy
        from django.core.management import call_command
        saves, original = [0], CaseStudy.save
        def save(self, *args, **kwargs):
            original(self, *args, **kwargs)
            saves[0] += 1
            if saves[0] == 5:
                print("written", CaseStudy.objects.count(), flush=True)
                os.kill(os.getpid(), signal.SIGKILL)
        CaseStudy.save = save
        call_command("load_catalogue", verbosity=0)
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url()}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]
    written = int(result.stdout.split("written", 1)[1].split()[0])
    assert written > 0  # it was killed with cases already written inside its transaction
    assert CaseStudy.objects.count() == 0
    assert Principle.objects.count() == 0
    assert Condition.objects.count() == Approach.objects.count() == Region.objects.count() == 0


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", *PROJECT_APPS, "auth", format="json", indent=1, stdout=out)
    return out.getvalue()


def test_backup_and_restore_round_trip_the_catalogue_exactly(tmp_path):
    call_command("load_catalogue", verbosity=0)
    before = dump()
    target = tmp_path / "catalogue.backup"
    call_command("backup_database", str(target), stdout=io.StringIO())
    assert target.stat().st_size > 0
    # Lose data after the backup: edits, deletions, a new record.
    CaseStudy.objects.filter(pk__in=CaseStudy.objects.order_by("pk").values("pk")[:5]).delete()
    Principle.objects.update(description="overwritten")
    Condition.objects.create(slug="intruder", name="Intruder")
    assert dump() != before
    call_command("restore_database", str(target), stdout=io.StringIO())
    connection.close()
    assert dump() == before


def test_a_restore_makes_every_cached_page_obsolete(tmp_path):
    from catalogue import caching

    call_command("load_catalogue", verbosity=0)
    target = tmp_path / "catalogue.backup"
    call_command("backup_database", str(target), stdout=io.StringIO())
    before = caching.version()
    call_command("restore_database", str(target), stdout=io.StringIO())
    connection.close()
    assert caching.version() != before
