"""A case's assessments compared: for each principle, the agreed score beside every independent rating, how far
the independent editor ratings are apart, and whether an editor still has to moderate them.

Only independent editor assessments are compared and counted: lived-experience reviews and self-assessments are
shown beside them, never averaged in. The case page, its PDF and the admin's moderation queue read this; the
catalogue-wide agreement statistics are explore/agreement.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from principles.models import Principle

from .choices import AssessorRole, ReplyStatus
from .models import Assessment, AssessmentScore, CaseStudy, PrincipleScore, ScoreReply

# Two independent ratings this far apart or more are a disagreement the site and the admin queue point out.
FAR_APART = 2


def assessments_prefetch() -> Prefetch:
    """What `compare` reads, for a queryset of cases: every assessment with its scores, editors first."""
    return Prefetch(
        "assessments",
        queryset=Assessment.objects.select_related("rubric_version").prefetch_related(
            Prefetch("scores", queryset=AssessmentScore.objects.select_related("principle", "source"))
        ),
    )


def approved_replies_prefetch() -> Prefetch:
    """The organisation's replies an editor approved, as `approved_replies`: waiting and declined ones are never
    shown, so they are never loaded for a public page."""
    return Prefetch(
        "score_replies", queryset=ScoreReply.objects.filter(status=ReplyStatus.APPROVED), to_attr="approved_replies"
    )


@dataclass(frozen=True)
class Rating:
    assessment: Assessment
    score: AssessmentScore | None  # None where that assessment left the principle unscored


@dataclass
class PrincipleComparison:
    principle: Principle
    agreed: PrincipleScore | None
    editors: list[Rating] = field(default_factory=list)
    others: list[Rating] = field(default_factory=list)  # lived-experience reviewers and self-assessments

    @property
    def ratings(self) -> list[Rating]:
        """Every rating in column order: the editors', then the others' (as CaseComparison.assessments)."""
        return [*self.editors, *self.others]

    @property
    def editor_scores(self) -> list[int]:
        return [r.score.score for r in self.editors if r.score is not None]

    @property
    def spread(self) -> int | None:
        """How far apart the independent editor ratings are (None with fewer than two)."""
        scores = self.editor_scores
        return max(scores) - min(scores) if len(scores) >= 2 else None

    @property
    def differs(self) -> bool:
        return bool(self.spread)

    @property
    def far_apart(self) -> bool:
        return (self.spread or 0) >= FAR_APART

    @property
    def awaits_moderation(self) -> bool:
        """The ratings differ and no agreed score says why it is what it is."""
        return self.differs and (self.agreed is None or not self.agreed.moderation_reason.strip())


@dataclass
class CaseComparison:
    case: CaseStudy
    editors: list[Assessment]
    others: list[Assessment]
    principles: list[PrincipleComparison]

    @property
    def assessments(self) -> list[Assessment]:
        """Every assessment in the order the case page shows them side by side: the editors', then the others'."""
        return [*self.editors, *self.others]

    @property
    def independent_count(self) -> int:
        return len(self.editors)

    @property
    def compared(self) -> list[PrincipleComparison]:
        return [p for p in self.principles if p.spread is not None]

    @property
    def exact_count(self) -> int:
        return sum(1 for p in self.compared if p.spread == 0)

    @property
    def within_one_count(self) -> int:
        return sum(1 for p in self.compared if p.spread <= 1)

    @property
    def far_apart(self) -> list[PrincipleComparison]:
        return [p for p in self.principles if p.far_apart]

    @property
    def awaiting_moderation(self) -> list[PrincipleComparison]:
        return [p for p in self.principles if p.awaits_moderation]

    def summary(self) -> str:
        """One plain sentence on what the agreed scores rest on, for the case page and its PDF."""
        count = self.independent_count
        if count == 0:
            return "These scores do not yet rest on an independent assessment."
        if count == 1:
            return "These scores rest on one independent editor assessment; a second has not been made yet."
        compared = len(self.compared)
        return (
            f"These agreed scores rest on {count} independent editor assessments, which gave the same score on "
            f"{self.exact_count} of {compared} principles and were within one point on {self.within_one_count}."
        )


def compare(case: CaseStudy, principles: list[Principle] | None = None) -> CaseComparison:
    """The comparison of `case`'s assessments (prefetch with assessments_prefetch() and `scores` to save queries)."""
    principles = principles if principles is not None else list(Principle.objects.all())
    assessments = list(case.assessments.all())
    editors = [a for a in assessments if a.role == AssessorRole.EDITOR]
    others = [a for a in assessments if a.role != AssessorRole.EDITOR]
    agreed = {s.principle_id: s for s in case.scores.all()}

    def ratings(group: list[Assessment], principle: Principle) -> list[Rating]:
        return [Rating(a, next((s for s in a.scores.all() if s.principle_id == principle.pk), None)) for a in group]

    rows = [PrincipleComparison(p, agreed.get(p.pk), ratings(editors, p), ratings(others, p)) for p in principles]
    return CaseComparison(case, editors, others, rows)
