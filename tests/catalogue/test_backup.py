"""Backup and restore (catalogue/backup.py, backup_database and restore_database) round-trip a catalogue exactly,
and a restore makes every cached page obsolete."""

from __future__ import annotations

import io
import os
import stat

import pytest
from django.core.management import call_command
from django.db import connection

from catalogue.models import CaseStudy, Condition
from principles.models import Principle

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT_APPS = ["catalogue", "principles"]


def dump() -> str:
    out = io.StringIO()
    # The FTS5 table's rows are the database's own index of the search documents (which are compared); reading
    # its hidden column gives an internal value, not data.
    excluded = ["catalogue.SearchIndexRow"]
    call_command("dumpdata", *PROJECT_APPS, "auth", exclude=excluded, format="json", indent=1, stdout=out)
    return out.getvalue()


@pytest.mark.slow
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


def test_a_backup_is_readable_by_its_owner_only_even_over_an_old_world_readable_one(tmp_path):
    """It holds password hashes and live session keys (D11): 0600 whatever the umask, and an older backup that
    was 0644 is replaced (renamed over), never written into; no temporary file is left beside it."""
    target = tmp_path / "catalogue.backup"
    target.write_bytes(b"an older backup")
    target.chmod(0o644)
    old_umask = os.umask(0o022)
    try:
        call_command("backup_database", str(target), stdout=io.StringIO())
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() != b"an older backup"
    assert [path.name for path in tmp_path.iterdir()] == ["catalogue.backup"]
