"""Whether every case's stored profile is the one its scores give, checked without writing anything."""

from __future__ import annotations

from catalogue import profile
from catalogue.models import CaseStudy, PrincipleScore


def stored_profiles_that_differ_from_scores() -> dict[int, tuple[str, str]]:
    """{case pk: (stored profile, profile of its scores)} for every case where the two differ."""
    scores: dict[int, dict[int, int]] = {}
    for case_id, number, score in PrincipleScore.objects.values_list("case_study_id", "principle__number", "score"):
        scores.setdefault(case_id, {})[number] = score
    return {
        pk: (stored, profile.encode(scores.get(pk, {})))
        for pk, stored in CaseStudy.objects.values_list("pk", "profile")
        if stored != profile.encode(scores.get(pk, {}))
    }
