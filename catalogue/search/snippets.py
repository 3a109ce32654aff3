"""A short snippet of each found case around its best match, with the terms marked: the same on both databases.

The snippets are cut by SQLite's FTS5 `snippet()` over the page's own search documents, copied into an
in-memory FTS5 table with the index's tokenizer, whichever database holds the catalogue: so the same search
marks the same words in the same way on SQLite and PostgreSQL. The text is escaped and only the markers become
`<mark>`: control characters are taken out of the stored text first, so no stored text can fake a marker.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import ParsedQuery

COLUMNS = ("title", "about", "body", "rationales")
# The columns a snippet may come from, best first (the title is shown anyway).
SNIPPET_COLUMNS = (1, 2, 3)
SNIPPET_TOKENS = 24
OPEN, CLOSE, ELLIPSIS = "\x02", "\x03", "…"
# Only constants go into the statement; the markers and the query are parameters.
SELECT_SNIPPETS = "SELECT rowid, {} FROM page WHERE page MATCH ?".format(  # noqa: S608
    ", ".join(f"snippet(page, {n}, ?, ?, ?, {SNIPPET_TOKENS})" for n in SNIPPET_COLUMNS)
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(text: str) -> str:
    return _CONTROLS.sub(" ", text or "")


def mark(snippet: str) -> SafeString:
    """The snippet escaped, with FTS5's markers turned into <mark> elements."""
    html = escape(snippet).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
    return mark_safe(" ".join(html.split()))  # noqa: S308 (escaped above; only our markers become tags)


def snippets(parsed: ParsedQuery, documents: Iterable[tuple[int, str, str, str, str]]) -> dict[int, SafeString]:
    """{case id: marked snippet} for the documents (id, title, about, body, rationales) that match the wanted
    terms of `parsed` outside their title (a search that only excludes words marks nothing)."""
    expression = parsed.fts5_required()
    rows = [(pk, *(_clean(text) for text in texts)) for pk, *texts in documents]
    if not expression or not rows:
        return {}
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(
            f"CREATE VIRTUAL TABLE page USING fts5({', '.join(COLUMNS)}, "
            "tokenize='porter unicode61 remove_diacritics 0')"
        )
        connection.executemany("INSERT INTO page(rowid, title, about, body, rationales) VALUES (?, ?, ?, ?, ?)", rows)
        params = [OPEN, CLOSE, ELLIPSIS] * len(SNIPPET_COLUMNS)
        found = connection.execute(SELECT_SNIPPETS, [*params, expression])
        marked = {}
        for pk, *cut in found.fetchall():
            best = next((text for text in cut if OPEN in text), None)
            if best:
                marked[pk] = mark(best)
        return marked
    except sqlite3.Error:
        return {}
    finally:
        connection.close()
