"""Helpers of the content tests: edit a case as an editor would (its admin change form, read back and posted
with some fields changed), and hand the test's database to a fresh process (to run manage.py as `make run` does)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from django.db import connection
from django.urls import reverse

from catalogue.models import CaseStudy
from tests.support.formdata import read_form


def edit_in_admin(client, case: CaseStudy, **changes: str) -> None:
    """Post the case's admin change form as the page shows it, with `changes` (form field name: new value)."""
    url = reverse("admin:catalogue_casestudy_change", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = read_form(page.content.decode(), form_id="casestudy_form")
    for name, value in changes.items():
        assert name in data, f"the form has no field {name}"
        data[name] = [value]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def database_url() -> str:
    """The PostgreSQL test database's address, for a process of its own."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL under which another process sees this test's committed data (use a transactional test),
    and whose writes this test then sees. PostgreSQL: the test database itself. SQLite: the test database is in
    this process's memory, so it is copied to a file for the process and copied back afterwards."""
    if connection.vendor == "postgresql":
        yield database_url()
        return
    connection.ensure_connection()
    path = tmp_path / "shared.sqlite3"
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    yield f"sqlite:///{path}"
    with closing(sqlite3.connect(path)) as copy:
        copy.backup(connection.connection)


def reference_counts(content_dir: Path | None = None) -> str:
    """The loader's list of the reference records the content files hold ("6 principles, 2 rubric versions, 16
    conditions, ... 361 local authority districts"), counted from the files, so adding content needs no edit here."""
    import yaml
    from django.conf import settings

    content_dir = Path(content_dir or settings.CONTENT_DIR)
    taxonomy = yaml.safe_load((content_dir / "taxonomy.yaml").read_text(encoding="utf-8"))
    history = yaml.safe_load((content_dir / "rubric-history.yaml").read_text(encoding="utf-8"))
    versions = 1 + len(history["versions"])  # the current version (principles.yaml) and every earlier one
    return (
        f"6 principles, {versions} rubric versions, {len(taxonomy['conditions'])} conditions, "
        f"{len(taxonomy['approaches'])} approaches, {len(taxonomy['regions'])} regions, 361 local authority districts"
    )


def case_file_count(content_dir: Path | None = None) -> int:
    from django.conf import settings

    return len(list((Path(content_dir or settings.CONTENT_DIR) / "cases").glob("*.yaml")))
