"""Recording independent assessments and the organisations' replies in Django admin.

An assessment is edited on one page with its six scores (one row per principle, always all six offered, as on a
case's agreed scores): an editor's, a lived-experience reviewer's or the case's own organisation's. It starts on
the current rubric version; a score may name the source it rests on, one of that case's own sources. Saving or
deleting one records the editor as the last to change the case (four eyes: services.publish). A reply from a
case's organisation waits until an editor approves or declines it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from principles.models import Principle, RubricVersion

from .. import services
from ..choices import ReplyStatus
from ..models import Assessment, AssessmentScore, CaseStudy, ScoreReply, Source
from .textfields import TEXT_OVERRIDES


def case_id_of(request, assessment: Assessment | None) -> int | None:
    """The case an assessment is (or is about to be) of: its own, else the one chosen in the form or the
    address ("?case_study=12"); None when none is chosen or the value is not a number."""
    if assessment is not None and assessment.case_study_id:
        return assessment.case_study_id
    value = request.POST.get("case_study") or request.GET.get("case_study") or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


class AssessmentScoreForm(forms.ModelForm):
    # Each row belongs to one fixed principle: shown, never chosen, so no assessment scores one principle twice.
    principle = forms.ModelChoiceField(queryset=Principle.objects.all(), disabled=True)

    class Meta:
        model = AssessmentScore
        fields = ["principle", "score", "rationale", "source"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 2, "cols": 60})}

    def __init__(self, *args, case_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the case's own sources can be chosen (and so pass validation).
        sources = Source.objects.filter(case_study_id=case_id) if case_id else Source.objects.none()
        self.fields["source"].queryset = sources


class AssessmentScoreFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("score") is not None and not self._should_delete_form(form)
        ]
        unscored = {p.pk for p in Principle.objects.all()} - {form.cleaned_data["principle"].pk for form in kept}
        if unscored:
            names = ", ".join(p.short_name for p in Principle.objects.filter(pk__in=unscored))
            raise forms.ValidationError(
                f"An assessment scores all six principles, each with a rationale (missing: {names}).",
                code="six_scores",
            )


class AssessmentScoreInline(admin.TabularInline):
    formfield_overrides = TEXT_OVERRIDES
    model = AssessmentScore
    form = AssessmentScoreForm
    formset = AssessmentScoreFormSet
    max_num = 6
    min_num = 0
    verbose_name = "score"
    verbose_name_plural = "Scores (0-3 on each principle, each with why and, where it rests on one, its source)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("principle", "source")

    def get_extra(self, request, obj=None, **kwargs):
        return len(unscored_principles(obj))


def unscored_principles(assessment: Assessment | None) -> list[Principle]:
    scored = set(assessment.scores.values_list("principle_id", flat=True)) if assessment and assessment.pk else set()
    return [p for p in Principle.objects.all() if p.pk not in scored]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    formfield_overrides = TEXT_OVERRIDES
    inlines = [AssessmentScoreInline]
    list_display = ["label", "case_study", "role", "rubric_version", "assessed_on", "confidence", "recorded_by"]
    list_filter = ["role", "rubric_version", "confidence"]
    list_select_related = ["case_study", "rubric_version", "recorded_by"]
    search_fields = ["label", "case_study__title"]
    autocomplete_fields = ["case_study"]
    fields = ["case_study", "role", "label", "rubric_version", "assessed_on", "confidence", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def get_readonly_fields(self, request, obj=None):
        # An assessment stays with its case: its scores' sources are that case's.
        return [*self.readonly_fields, "case_study"] if obj is not None else self.readonly_fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        current = RubricVersion.objects.current()
        if current is not None:
            initial.setdefault("rubric_version", current.pk)
        case_id = case_id_of(request, None)
        if case_id is None or not CaseStudy.objects.filter(pk=case_id).exists():
            initial.pop("case_study", None)  # a case that does not exist is not offered
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        kwargs["form_kwargs"] = {"case_id": case_id_of(request, obj)}
        # Offer a row for every principle not yet scored, with its principle already set.
        kwargs["initial"] = [{"principle": p.pk} for p in unscored_principles(obj)]
        return kwargs

    def save_model(self, request, obj, form, change):
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change or form.has_changed() or any(formset.has_changed() for formset in formsets):
            services.record_edit(form.instance.case_study, request.user)

    def delete_model(self, request, obj):
        case = obj.case_study
        super().delete_model(request, obj)
        services.record_edit(case, request.user)

    def delete_queryset(self, request, queryset):
        cases = list(CaseStudy.objects.filter(pk__in=queryset.values("case_study_id")))
        super().delete_queryset(request, queryset)
        for case in cases:
            services.record_edit(case, request.user)


@admin.register(ScoreReply)
class ScoreReplyAdmin(SimpleHistoryAdmin):
    formfield_overrides = TEXT_OVERRIDES
    list_display = ["case_study", "written_by", "received_on", "status", "moderated_by", "moderated_on"]
    list_filter = ["status"]
    list_select_related = ["case_study", "moderated_by"]
    search_fields = ["case_study__title", "written_by", "text"]
    autocomplete_fields = ["case_study"]
    fields = ["case_study", "written_by", "received_on", "text", "status", "moderated_by", "moderated_on"]
    readonly_fields = ["moderated_by", "moderated_on"]
    actions = ["approve", "decline"]

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            moderate(obj, obj.status, request.user, save=False)
        super().save_model(request, obj, form, change)

    @admin.action(description="Approve the selected replies (shown beside the case's scores)", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate_all(request, queryset, ReplyStatus.APPROVED, "approved")

    @admin.action(description="Decline the selected replies (not shown)", permissions=["change"])
    def decline(self, request, queryset):
        self._moderate_all(request, queryset, ReplyStatus.DECLINED, "declined")

    def _moderate_all(self, request, queryset, status: str, done: str) -> None:
        count = 0
        for reply in queryset:
            moderate(reply, status, request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d reply %(done)s.", "%(count)d replies %(done)s.", count)
            % {"count": count, "done": done},
            messages.SUCCESS,
        )


def moderate(reply: ScoreReply, status: str, editor, *, save: bool = True) -> None:
    """Set a reply's status, noting who decided and when (no one has decided a reply that waits)."""
    reply.status = status
    waiting = status == ReplyStatus.WAITING
    reply.moderated_by, reply.moderated_on = (None, None) if waiting else (editor, timezone.localdate())
    if save:
        reply.save()  # one save each, so the history records who moderated which reply
