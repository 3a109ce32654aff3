"""The principles and the rubric's versions in Django admin.

A principle's level texts are the rubric. Saving a principle whose level texts changed makes a new rubric version
(rubric.record_version) with the editor's summary of what changed and why, so assessments made on the old wording
keep the version they used. A version is a frozen record: it is listed and shown, never edited or deleted here.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from . import rubric
from .models import Principle, RubricVersion, Score

LEVEL_FIELDS = [f"level_{level}" for level in Score]


class PrincipleAdminForm(forms.ModelForm):
    version_summary = forms.CharField(
        label="What changed and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=(
            "Needed when you change a level text: saving makes a new rubric version with this summary, and "
            "assessments already made keep the version they used."
        ),
    )

    class Meta:
        model = Principle
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def levels_changed(self) -> bool:
        return any(name in self.changed_data for name in LEVEL_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.levels_changed() and not (cleaned.get("version_summary") or "").strip():
            self.add_error(
                "version_summary", "Say what changed in the level texts and why: it becomes the new version's summary."
            )
        return cleaned


@admin.register(Principle)
class PrincipleAdmin(SimpleHistoryAdmin):
    form = PrincipleAdminForm
    list_display = ["number", "name", "short_name", "nef_label"]
    list_display_links = ["name"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["number", "name", "short_name", "slug", "nef_label", "description"]}),
        ("What each score level looks like", {"fields": [*LEVEL_FIELDS, "version_summary"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.levels_changed():
            version = rubric.record_version(form.cleaned_data["version_summary"])
            if version is not None:
                self.message_user(
                    request, f"The level texts changed: {version} now applies to new assessments.", messages.INFO
                )


@admin.register(RubricVersion)
class RubricVersionAdmin(admin.ModelAdmin):
    """Read-only: versions are made from the principles' level texts, and assessments name the one they used."""

    list_display = ["number", "introduced_on", "summary", "assessments_using"]
    fields = ["number", "introduced_on", "summary", "level_texts"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(assessment_count=Count("assessments"))

    @admin.display(description="Assessments using it", ordering="assessment_count")
    def assessments_using(self, obj: RubricVersion) -> int:
        return obj.assessment_count

    @admin.display(description="The level texts of this version")
    def level_texts(self, obj: RubricVersion) -> str:
        lines = []
        for principle in Principle.objects.all():
            lines.append(str(principle))
            lines += [f"  {level.value} ({level.label}): {text}" for level, text in obj.levels_of(principle)]
        return "\n".join(lines)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
