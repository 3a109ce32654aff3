"""A case's own rows: its scores on the six principles, its outcome figures and its sources."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from principles.models import Principle, Score

from .. import dates
from ..choices import EvidenceType
from .case import CaseStudy


class PrincipleScore(models.Model):
    """The agreed score of one case on one principle, the one the catalogue publishes: a level of the 0-3 scale
    and why. An editor moderates it from the independent assessments (assessment.py) and, where they differed,
    records why this is the score (`moderation_reason`)."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="scores")
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    rationale = models.TextField(help_text="One or two sentences: why this score, with something specific.")
    assessed_by = models.CharField(max_length=150, help_text="Who made this assessment.")
    moderation_reason = models.TextField(
        blank=True, help_text="Where the independent assessments differ: why this is the agreed score."
    )
    assessed_on = models.DateField(
        default=timezone.localdate, validators=[dates.validate_date], help_text="When it was made."
    )

    # The tables keep the names they had when scores lived in the principles app (migration 0006).
    history = HistoricalRecords(table_name="principles_historicalprinciplescore")

    class Meta:
        db_table = "principles_principlescore"
        ordering = ["principle__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "principle"],
                name="one_score_per_principle",
                violation_error_message="This case already has a score for this principle.",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=3),
                name="score_between_0_and_3",
                violation_error_message="A score must be 0, 1, 2 or 3.",
            ),
            models.CheckConstraint(
                condition=~Q(rationale=""),
                name="score_has_rationale",
                violation_error_message="Give a rationale for the score.",
            ),
            models.CheckConstraint(
                condition=dates.in_window("assessed_on", dates.DATE_MIN, dates.DATE_MAX),
                name="score_assessed_on_in_range",
                violation_error_message="The assessment date must be between 1900 and 2100.",
            ),
        ]
        # (principle, score, case_study) answers "cases scoring at least n on p" from the index alone.
        indexes = [models.Index(fields=["principle", "score", "case_study"], name="score_principle_score_case_idx")]

    def __str__(self) -> str:
        return f"{self.principle.short_name}: {self.score} ({self.label})"

    @property
    def level(self) -> Score:
        return Score(self.score)

    @property
    def label(self) -> str:
        return self.level.label


class OutcomeFigure(models.Model):
    """One reported result, with how strong its evidence is and where it comes from."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="outcome_figures")
    statement = models.TextField(help_text="A short, plain statement of one result.")
    evidence_type = models.CharField(max_length=20, choices=EvidenceType.choices)
    source_title = models.CharField(max_length=300)
    source_url = models.URLField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence_type__in=EvidenceType.values),
                name="outcome_evidence_valid",
                violation_error_message="Choose a kind of evidence from the list.",
            ),
            models.CheckConstraint(
                condition=~Q(statement=""),
                name="outcome_statement_not_empty",
                violation_error_message="An outcome figure needs a statement.",
            ),
            models.CheckConstraint(
                condition=~Q(source_title=""),
                name="outcome_source_not_empty",
                violation_error_message="An outcome figure needs the title of its source.",
            ),
        ]

    def __str__(self) -> str:
        return self.statement


class Source(models.Model):
    """A reference for a case study."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""),
                name="source_title_not_empty",
                violation_error_message="A source needs a title.",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900, year__lte=2100),
                name="source_year_plausible",
                violation_error_message="A source's year must be between 1900 and 2100.",
            ),
        ]

    def __str__(self) -> str:
        return self.title
