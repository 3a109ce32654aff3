"""Keeping the rubric's versions: the one place a new RubricVersion is made.

Admin (after an editor saves a principle) and the content loader call `record_version`; it compares the
principles' current level texts with the newest version and makes a new version only when a text differs, so
saving a principle without touching its levels makes none.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from .models import Principle, RubricVersion, Score


def current_texts() -> dict[str, list[str]]:
    """Every principle's level texts as they stand, in the form a version stores."""
    return {p.slug: [p.guidance_for(level) for level in Score] for p in Principle.objects.order_by("number")}


@transaction.atomic
def record_version(summary: str, introduced_on: datetime.date | None = None) -> RubricVersion | None:
    """Freeze the current level texts as a new version when they differ from the newest; return it, or None when
    nothing changed."""
    texts = current_texts()
    newest = RubricVersion.objects.select_for_update().order_by("-number").first()
    if newest is not None and newest.levels == texts:
        return None
    values = {"number": (newest.number + 1) if newest else 1, "summary": summary.strip(), "levels": texts}
    if introduced_on is not None:
        values["introduced_on"] = introduced_on
    version = RubricVersion(**values)
    version.full_clean()
    version.save()
    return version
