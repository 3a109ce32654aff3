"""The publishing rules: what a case needs before the public may see it, and who may publish it.

One pure function, so admin forms (which see unsaved data), admin actions, `load_catalogue` and the importer
(which see saved data) all apply the same rules and word them the same way. Besides its contents a case needs
INDEPENDENT_NEEDED independent editor assessments, and the editor who publishes it must not be the one who last
changed it, its scores or its assessments (four eyes: `second_editor_problem`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .places import reach as reach_rules

if TYPE_CHECKING:
    from principles.models import Principle

NEEDS_SUMMARY = "a summary"
NEEDS_CONDITION = "at least one condition"
NEEDS_SOURCE = "at least one source"
# Publishing needs at least this many independent editor assessments.
INDEPENDENT_NEEDED = 2
# The four-eyes rule, worded once for services.publish, the admin's form and action, and the importer.
SECOND_EDITOR = (
    "Publishing needs a second editor: you were the last to change this case, its scores or its assessments, "
    "so another editor must check and publish it."
)
SECOND_EDITOR_SAME_SAVE = (
    "Publishing needs a second editor: whoever changes a case cannot publish it in the same save. Save your "
    "changes with the status “In review”, then ask another editor to publish it."
)


def needs_assessments(independent_count: int) -> list[str]:
    """The independent editor assessments a case still lacks, in plain words (none when it has enough)."""
    if independent_count >= INDEPENDENT_NEEDED:
        return []
    return [f"at least {INDEPENDENT_NEEDED} independent editor assessments (it has {independent_count})"]


def sites_needed(reach: str, site_kinds: Sequence[str]) -> list[str]:
    """What the sites lack for the reach, in plain words (places/reach.py holds the rules)."""
    if not site_kinds:
        return [reach_rules.NEEDS_SITE]
    return [f"sites that fit its reach ({problem})" for problem in reach_rules.problems(reach, site_kinds)]


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
    reach: str,
    site_kinds: Sequence[str],
    condition_count: int,
    source_count: int,
    rationale_by_principle: Mapping[int, str],
    principles: Sequence[Principle],
    independent_count: int,
) -> list[str]:
    """Everything a case still needs before it can be published; an empty list when it is ready."""
    needs = []
    if not (summary or "").strip():
        needs.append(NEEDS_SUMMARY)
    needs.extend(sites_needed(reach, site_kinds))
    if condition_count < 1:
        needs.append(NEEDS_CONDITION)
    if source_count < 1:
        needs.append(NEEDS_SOURCE)
    needs.extend(missing_scores(rationale_by_principle, principles))
    needs.extend(needs_assessments(independent_count))
    return needs


def sentence(needs: Sequence[str]) -> str:
    """'This case cannot be published yet. It needs: a summary; at least one site.'"""
    return "This case cannot be published yet. It needs: " + "; ".join(needs) + "."
