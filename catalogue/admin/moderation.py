"""The case admin's view of a case's independent assessments: the moderation queue (a changelist filter), the
flags beside each case in the list, and the read-only table of a case's assessments on its page.

The questions are the CaseStudyQuerySet's (one query each, querysets.py); assessing.compare answers the same of
one case, for the case page and its PDF.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .. import assessing, publishing
from ..models import Assessment, CaseStudy


class ModerationFilter(admin.SimpleListFilter):
    """The moderation queue: what an editor still has to assess or moderate before a case can be trusted."""

    title = "moderation"
    parameter_name = "moderation"

    def lookups(self, request, model_admin):
        return [
            ("far-apart", f"Independent ratings {assessing.FAR_APART} or more apart"),
            ("short", f"Fewer than {publishing.INDEPENDENT_NEEDED} independent assessments"),
            ("waiting", "Waiting for moderation"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "far-apart":
                return queryset.ratings_far_apart(assessing.FAR_APART)
            case "short":
                return queryset.short_of_assessments(publishing.INDEPENDENT_NEEDED)
            case "waiting":
                return queryset.awaiting_moderation()
        return queryset  # no choice, or one this filter does not offer (a hand-typed address): the whole list


class ModerationFlags:
    """Changelist columns for CaseStudyAdmin (mixed in before the ModelAdmin): each case's independent
    assessments, and whether its ratings are far apart or wait for moderation."""

    flag_columns = ("independent_assessments", "ratings_far_apart", "awaits_moderation")

    def get_queryset(self, request):
        return super().get_queryset(request).with_assessment_flags(far_apart=assessing.FAR_APART)

    @admin.display(description="Independent assessments", ordering="independent_count")
    def independent_assessments(self, obj: CaseStudy) -> str:
        return f"{obj.independent_count} of {publishing.INDEPENDENT_NEEDED}"

    @admin.display(description=f"Ratings {assessing.FAR_APART}+ apart", boolean=True, ordering="ratings_far_apart")
    def ratings_far_apart(self, obj: CaseStudy) -> bool:
        return obj.ratings_far_apart

    @admin.display(description="Waits for moderation", boolean=True, ordering="awaits_moderation")
    def awaits_moderation(self, obj: CaseStudy) -> bool:
        return obj.awaits_moderation

    @admin.display(description="New assessment")
    def record_assessment(self, obj: CaseStudy) -> str:
        """On the case's page: a link to record an assessment of it (the form starts with the case chosen)."""
        return add_assessment_link(obj) if obj.pk else "Save the case first."


class AssessmentListInline(admin.TabularInline):
    """The case's assessments as a read-only table, each linking to its own page (assessments.py), where it and
    its six scores are edited."""

    model = Assessment
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["assessment", "role", "rubric_version", "assessed_on", "confidence", "scores_given"]
    readonly_fields = fields
    verbose_name = "independent assessment"
    verbose_name_plural = "Independent assessments (edit each on its own page; add one from Assessments)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("rubric_version").prefetch_related("scores__principle")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Assessment")
    def assessment(self, obj: Assessment) -> str:
        if obj.pk is None:
            return ""
        url = reverse("admin:catalogue_assessment_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.label)

    @admin.display(description="Scores")
    def scores_given(self, obj: Assessment) -> str:
        if obj.pk is None:
            return ""
        scores = format_html_join(", ", "{}: {}", ((s.principle.short_name, s.score) for s in obj.scores.all()))
        return scores or "none yet"


def add_assessment_link(case: CaseStudy) -> str:
    """A link to record a new assessment of `case` (the form starts with the case chosen)."""
    url = reverse("admin:catalogue_assessment_add") + f"?case_study={case.pk}"
    return format_html('<a href="{}">Record an assessment of this case</a>', url)
