"""The same query gives the same cases on SQLite and PostgreSQL, for the real catalogue (fixtures/).

Each query runs through the database under test (FTS5 on SQLite, the GIN tsvector on PostgreSQL, as CI runs
this file on both) and is compared with a reference outside it: SQLite's FTS5 over the same search documents in
an in-memory table. On PostgreSQL that is a comparison of the two engines; on SQLite it checks the index kept
by the triggers against the documents themselves.
"""

from __future__ import annotations

import sqlite3

import pytest
from django.core.management import call_command

from catalogue.models import CaseStudy, SearchDocument
from catalogue.search import parse

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

QUERIES = [
    "men", "shed", "sheds", "shed*", "carers", "carer", "dementia", "dementia carers Scotland", '"time bank"',
    "time bank", "-london", "london", "-london -scotland", "peer OR befriending", "men -sheds", "mental",
    "mental health -london", "loneliness", "lonely", "co-production", '"peer support"', "recovery college*",
    "volunteer*", "diabetes OR copd", "wales", "north east", '"shared lives"', "older people", "hospital",
    "admissions", "children families", "evaluation -trial", "self-management", "housing", "befriend*",
    "GP", "GPs", "organisations", "relational", "conditional", "agreed", '"self management"', '"co production"',
    "long-term", '"long term"',
]  # fmt: skip


def reference(query: str) -> set[str]:
    parsed = parse(query)
    rows = SearchDocument.objects.filter(case_study__status="published").values_list(
        "case_study_id", "title", "about", "body", "rationales"
    )
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(title, about, body, rationales, "
                       "tokenize='porter unicode61 remove_diacritics 0')")  # fmt: skip
    connection.executemany("INSERT INTO t(rowid, title, about, body, rationales) VALUES (?, ?, ?, ?, ?)", rows)
    every = {row[0] for row in rows}
    if parsed.required:
        ids = {r[0] for r in connection.execute("SELECT rowid FROM t WHERE t MATCH ?", [parsed.compile_fts5()])}
    else:
        ids = every - {
            r[0] for r in connection.execute("SELECT rowid FROM t WHERE t MATCH ?", [parsed.fts5_excluded()])
        }
    connection.close()
    return set(CaseStudy.objects.filter(pk__in=ids).values_list("slug", flat=True))


@pytest.fixture
def catalogue(db):
    """The real content, loaded inside the test's transaction (so nothing of it outlives the test)."""
    call_command("load_catalogue", verbosity=0)


def test_every_query_of_the_table_finds_the_same_cases_as_the_reference(catalogue):
    published = CaseStudy.objects.published()
    table = []
    for query in QUERIES:
        here = set(published.search(query).values_list("slug", flat=True))
        table.append((query, len(here), len(reference(query)), sorted(here ^ reference(query))))
    assert [row for row in table if row[3]] == []
    # The table is not trivial: most queries find some cases and none finds them all.
    assert sum(1 for _, n, _, _ in table if n) >= len(QUERIES) * 2 // 3
    assert all(n < published.count() for _, n, _, _ in table)
