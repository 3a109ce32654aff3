"""What changed in the published catalogue, newest first, for the feed: each case's first publication, and each
later revision of its agreed scores (read from the scores' history, simple-history's records of every save)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import CaseStudy, PrincipleScore

PUBLISHED = "published"
SCORES_REVISED = "scores-revised"


@dataclass(frozen=True)
class ScoreChange:
    principle: str  # its short name
    before: int
    after: int

    def __str__(self) -> str:
        return f"{self.principle} {self.before} to {self.after}"


@dataclass(frozen=True)
class Change:
    kind: str  # PUBLISHED or SCORES_REVISED
    case: CaseStudy
    when: datetime.datetime
    scores: tuple[ScoreChange, ...] = ()

    @property
    def key(self) -> str:
        """Stable and unique: a feed reader tells entries apart by it."""
        return f"{self.kind}:{self.case.pk}:{self.when.isoformat()}"


def recent(cases: QuerySet[CaseStudy], limit: int) -> list[Change]:
    """The `limit` newest changes to these published cases: publications and score revisions after them."""
    published = list(cases.filter(first_published_at__isnull=False).order_by("-first_published_at", "-pk")[:limit])
    changes = [Change(PUBLISHED, case, case.first_published_at) for case in published]
    changes += _score_revisions(cases.filter(first_published_at__isnull=False))
    changes.sort(key=lambda change: (change.when, change.kind == SCORES_REVISED, change.case.pk), reverse=True)
    return changes[:limit]


def _score_revisions(cases: QuerySet[CaseStudy]) -> list[Change]:
    """One change per case and moment at which one or more of its agreed scores moved to another level after its
    first publication. A score deleted and written again in one save is the same score, so deletions are skipped
    and each record is compared with the last score known for its case and principle."""
    records = (
        PrincipleScore.history.filter(case_study_id__in=cases.values("pk"))
        .exclude(history_type="-")
        .order_by("history_date", "history_id")
        .values_list("case_study_id", "principle__short_name", "score", "history_date")
    )
    first_published = dict(cases.values_list("pk", "first_published_at"))
    last: dict[tuple[int, str], int] = {}
    moved: dict[tuple[int, datetime.datetime], list[ScoreChange]] = {}
    for case_id, principle, score, when in records:
        before = last.get((case_id, principle))
        last[case_id, principle] = score
        if before is not None and before != score and when > first_published[case_id]:
            moved.setdefault((case_id, when.replace(microsecond=0)), []).append(ScoreChange(principle, before, score))
    loaded = cases.in_bulk({case_id for case_id, _when in moved})  # with whatever the caller prefetches
    return [Change(SCORES_REVISED, loaded[case_id], when, tuple(scores)) for (case_id, when), scores in moved.items()]


def describe(change: Change) -> str:
    if change.kind == PUBLISHED:
        return "New case study."
    return "Agreed scores revised: " + "; ".join(str(score) for score in change.scores) + "."
