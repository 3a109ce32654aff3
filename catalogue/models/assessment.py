"""Independent assessments of a case and its organisation's reply to them.

An Assessment is one assessor's rating of one case on all six principles against one rubric version: an
editor's, a lived-experience reviewer's, or the case's own organisation's (a self-assessment). A case may have
any number. The published profile is not one of them: it is the agreed score per principle (PrincipleScore,
rows.py), which an editor moderates from the independent editor assessments and, where they differ, explains.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from principles.models import Principle, RubricVersion, Score

from .. import dates
from ..choices import AssessorRole, Confidence, ReplyStatus, Status
from .case import CaseStudy
from .rows import Source


class AssessmentQuerySet(models.QuerySet):
    def by_editors(self):
        """The independent editor assessments: the only ones the agreement figures and moderation compare."""
        return self.filter(role=AssessorRole.EDITOR)

    def on_published_cases(self):
        return self.filter(case_study__status=Status.PUBLISHED)

    def double_rated(self):
        """These assessments, of the cases that have two or more of them (counted within this QuerySet: after
        by_editors(), cases with two or more editor assessments)."""
        counts = self.order_by().values("case_study_id").annotate(n=Count("pk")).filter(n__gte=2)
        return self.filter(case_study_id__in=counts.values("case_study_id"))

    def ratings(self):
        """Every score of these assessments as (case id, assessment id, assessed on, label, principle id, score)
        rows: one query, for the agreement figures (explore/agreement.py)."""
        rows = AssessmentScore.objects.filter(assessment__in=self.order_by().values("pk"))
        return rows.order_by().values_list(
            "assessment__case_study_id", "assessment_id", "assessment__assessed_on", "assessment__label",
            "principle_id", "score",
        )  # fmt: skip


class Assessment(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="assessments")
    role = models.CharField(max_length=20, choices=AssessorRole.choices, default=AssessorRole.EDITOR)
    label = models.CharField(
        max_length=80, help_text='The name the assessor chose to be shown by, or an anonymous label such as "Editor A".'
    )
    rubric_version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(default=timezone.localdate, validators=[dates.validate_date])
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, blank=True, help_text="How much the sources let the assessor say."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["assessed_on", "label", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "label"],
                name="assessment_label_unique_per_case",
                violation_error_message="This case already has an assessment with this label.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=AssessorRole.values),
                name="assessment_role_valid",
                violation_error_message="Choose the assessor's role from the list.",
            ),
            models.CheckConstraint(
                condition=~Q(label=""),
                name="assessment_has_label",
                violation_error_message="Give the assessor a label.",
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=[*Confidence.values, ""]),
                name="assessment_confidence_valid",
                violation_error_message="Choose a confidence from the list.",
            ),
            models.CheckConstraint(
                condition=dates.in_window("assessed_on", dates.DATE_MIN, dates.DATE_MAX),
                name="assessment_date_in_range",
                violation_error_message="The assessment date must be between 1900 and 2100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_role_display()}) on {self.case_study}"

    @property
    def is_independent_editor(self) -> bool:
        return self.role == AssessorRole.EDITOR


class AssessmentScore(models.Model):
    """One assessor's score of one case on one principle, with why and, where it rests on one, which source."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="assessment_scores")
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    rationale = models.TextField(help_text="One or two sentences: why this score, with something specific.")
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessment_scores",
        help_text="The case's source this score rests on, where it rests on one.",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        ordering = ["principle__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "principle"],
                name="one_assessment_score_per_principle",
                violation_error_message="This assessment already has a score for this principle.",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=3),
                name="assessment_score_between_0_and_3",
                violation_error_message="A score must be 0, 1, 2 or 3.",
            ),
            models.CheckConstraint(
                condition=~Q(rationale=""),
                name="assessment_score_has_rationale",
                violation_error_message="Give a rationale for the score.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principle.short_name}: {self.score} ({self.label})"

    @property
    def label(self) -> str:
        return Score(self.score).label


class ScoreReply(models.Model):
    """The case's organisation's reply to its scores; shown beside them once an editor approves it."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="score_replies")
    written_by = models.CharField(
        max_length=200, help_text="Who wrote it, as they want it shown (a role, an organisation)."
    )
    text = models.TextField(max_length=4000)
    received_on = models.DateField(default=timezone.localdate, validators=[dates.validate_date])
    status = models.CharField(max_length=20, choices=ReplyStatus.choices, default=ReplyStatus.WAITING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    moderated_on = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name_plural = "score replies"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReplyStatus.values),
                name="score_reply_status_valid",
                violation_error_message="Choose a status from the list.",
            ),
            models.CheckConstraint(
                condition=~Q(text="") & ~Q(written_by=""),
                name="score_reply_has_text_and_author",
                violation_error_message="A reply needs its text and who wrote it.",
            ),
            models.CheckConstraint(
                condition=dates.in_window("received_on", dates.DATE_MIN, dates.DATE_MAX),
                name="score_reply_date_in_range",
                violation_error_message="The date must be between 1900 and 2100.",
            ),
        ]

    def __str__(self) -> str:
        return f"Reply from {self.written_by} on {self.case_study}"
