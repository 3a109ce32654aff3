"""The publishing rules: what a case needs before the public may see it.

One pure function, so admin forms (which see unsaved data), admin actions, `load_catalogue` and the importer
(which see saved data) all apply the same rules and word them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from principles.models import Principle

NEEDS_SUMMARY = "a summary"
NEEDS_REGION = "a region"
NEEDS_CONDITION = "at least one condition"
NEEDS_SOURCE = "at least one source"


def missing_scores(rationale_by_principle: Mapping[int, str], principles: Sequence[Principle]) -> list[str]:
    """Plain-words problems with the scores: principles with no score, scores with no rationale."""
    problems = []
    unscored = [p.short_name for p in principles if p.pk not in rationale_by_principle]
    if unscored:
        problems.append(f"a score for every principle (missing: {', '.join(unscored)})")
    no_reason = [
        p.short_name
        for p in principles
        if p.pk in rationale_by_principle and not (rationale_by_principle[p.pk] or "").strip()
    ]
    if no_reason:
        problems.append(f"a rationale for every score (missing for: {', '.join(no_reason)})")
    return problems


def problems(
    *,
    summary: str,
    region_id: int | None,
    condition_count: int,
    source_count: int,
    rationale_by_principle: Mapping[int, str],
    principles: Sequence[Principle],
) -> list[str]:
    """Everything a case still needs before it can be published; an empty list when it is ready."""
    needs = []
    if not (summary or "").strip():
        needs.append(NEEDS_SUMMARY)
    if region_id is None:
        needs.append(NEEDS_REGION)
    if condition_count < 1:
        needs.append(NEEDS_CONDITION)
    if source_count < 1:
        needs.append(NEEDS_SOURCE)
    needs.extend(missing_scores(rationale_by_principle, principles))
    return needs


def sentence(needs: Sequence[str]) -> str:
    """'This case cannot be published yet. It needs: a summary; a region.'"""
    return "This case cannot be published yet. It needs: " + "; ".join(needs) + "."
