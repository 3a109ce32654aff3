"""The publishing rules as the import checks them, on each case as it would be after the import.

Besides what the case holds (publishing.problems) a case needs its independent editor assessments, which the CSV
does not carry (they are recorded in admin), and four eyes: an editor who imports a file may not publish a case
they change in it or were the last to change. The import is all or nothing, so such a row is refused with the
reason, as any other problem is, and nothing of the file is written: the editor imports it without publishing
(the cases wait in review or as drafts) and another editor publishes them. `manage.py import_case_studies`,
which no signed-in editor runs, is held to the other rules only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from principles.models import Principle

from .. import publishing
from ..models import CaseStudy

IMPORT_WITHOUT_PUBLISHING = (
    " Import the file without “Publish every case in the file”, then ask another editor to publish the case."
)
CHANGED_HERE = (
    "Publishing needs a second editor: this file changes the case, and whoever changes a case cannot publish it."
)


@dataclass(frozen=True)
class Editorial:
    """What the import must know of a stored case that the CSV does not show."""

    independent_count: int
    last_edited_by_id: int | None


def editorial_facts(slugs: Iterable[str]) -> dict[str, Editorial]:
    """The stored cases' independent assessment counts and last editors, by slug (500 slugs a query)."""
    unique = sorted(set(filter(None, slugs)))
    found: dict[str, Editorial] = {}
    for start in range(0, len(unique), 500):
        rows = (
            CaseStudy.objects.filter(slug__in=unique[start : start + 500])
            .with_independent_count()
            .values_list("slug", "independent_count", "last_edited_by_id")
        )
        found.update((slug, Editorial(count, editor)) for slug, count, editor in rows)
    return found


def check_publishing(
    merged: dict[str, Any],
    *,
    site_kinds: list[str],
    principles: list[Principle],
    facts: Editorial | None,
    publish: bool,
    problem: Callable[[str | None, str], None],
) -> None:
    """The publishing rules, on the case as it would be after the import (`facts` None for a new case; `site_kinds`
    the kinds of area its sites are in)."""
    rationale_by_principle = {
        principles[i].pk: rationale for i, (score, rationale) in enumerate(merged["scores"]) if score is not None
    }
    needs = publishing.problems(
        summary=merged["summary"],
        reach=merged["reach"],
        site_kinds=site_kinds,
        condition_count=len(merged["conditions"]),
        source_count=len(merged["sources"]),
        rationale_by_principle=rationale_by_principle,
        principles=principles,
        independent_count=facts.independent_count if facts else 0,
    )
    why = "" if publish else " (it is published already, so it must still meet the publishing rules)"
    # What the sites lack is said on the sites column; the rest on the row.
    site_needs = publishing.sites_needed(merged["reach"], site_kinds)
    for column, said in [("sites", site_needs), (None, [need for need in needs if need not in site_needs])]:
        if said:
            problem(column, publishing.sentence(said) + why)


def check_second_editor(
    *, facts: Editorial | None, changes_case: bool, editor_id: int | None, problem: Callable[[str | None, str], None]
) -> None:
    """Four eyes, for a row that publishes a case not yet published, imported by the signed-in editor `editor_id`."""
    if editor_id is None:
        return
    if changes_case:
        problem(None, CHANGED_HERE + IMPORT_WITHOUT_PUBLISHING)
    elif facts is not None and facts.last_edited_by_id == editor_id:
        problem(None, publishing.SECOND_EDITOR + IMPORT_WITHOUT_PUBLISHING)
