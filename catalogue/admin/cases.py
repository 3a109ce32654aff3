"""Editing a case study in Django admin.

A case is edited on one page: its fields, its six principle scores (one row per principle, always all six
offered), outcome figures and sources, with its assessments listed (moderation.py). Publishing is refused, with
the reasons in plain words, until the case meets the rules in `publishing.py`; it goes through the one write path
(services.py): the case and its rows are saved first, then the rules are checked on what is stored, then it is
published. Four eyes: a save that changes the case or its rows records its editor as the last to change it
(services.record_edit), and whoever changes a case cannot publish it, in that save or later; a refused save
changes nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from principles.models import Principle

from .. import publishing, services
from ..choices import Status
from ..models import CaseStudy, OutcomeFigure, PrincipleScore, Source
from ..pdf import documents
from ..text import normalise_lines
from ..views.pdf import selection_booklet
from .editors import assessor_name
from .history import case_timeline
from .importing import CaseImportViews
from .moderation import AssessmentListInline, ModerationFilter, ModerationFlags
from .rowforms import PublishingRulesFormSet
from .sites import SiteInline
from .textfields import TEXT_OVERRIDES

# Changing only these is no edit of the case: the status is the workflow itself, the reason only annotates it.
NOT_EDITS = {"status", "change_reason"}


class CaseStudyAdminForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=100,
        help_text="Optional: shown in the case's history beside this change (and its scores, figures and sources).",
    )

    class Meta:
        model = CaseStudy
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def clean_partners(self):
        return normalise_lines(self.cleaned_data.get("partners") or "")

    editor = None  # the signed-in editor, set by CaseStudyAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Status.PUBLISHED:
            needs = []
            if not (cleaned.get("summary") or "").strip():
                needs.append(publishing.NEEDS_SUMMARY)
            if not cleaned.get("conditions"):
                needs.append(publishing.NEEDS_CONDITION)
            if self.publishing_now:
                case = self.instance
                needs += publishing.needs_assessments(case.assessments.by_editors().count() if case.pk else 0)
            errors = [forms.ValidationError(publishing.sentence(needs), code="not_publishable")] if needs else []
            if self.publishing_now:
                errors += self.four_eyes_errors()
            if errors:
                raise forms.ValidationError(errors)
        return cleaned

    @property
    def publishing_now(self) -> bool:
        return self.cleaned_data.get("status") == Status.PUBLISHED and self.instance.status != Status.PUBLISHED

    def four_eyes_errors(self) -> list[forms.ValidationError]:
        """Whoever changes a case, in this save or last, cannot publish it (the rows' formsets say so of theirs)."""
        if set(self.changed_data) - NOT_EDITS:
            return [forms.ValidationError(publishing.SECOND_EDITOR_SAME_SAVE, code="second_editor")]
        if self.editor is not None and self.instance.last_edited_by_id == self.editor.pk:
            return [forms.ValidationError(publishing.SECOND_EDITOR, code="second_editor")]
        return []


class ScoreFormSet(PublishingRulesFormSet):
    def publishing_errors(self) -> list[forms.ValidationError]:
        # Rows with their own errors (a score without a rationale, say) still count as scored here, so the
        # editor sees every reason at once.
        rationale_by_principle = {
            form.cleaned_data["principle"].pk: form.cleaned_data.get("rationale", "")
            for form in self.kept_forms()
            if form.cleaned_data.get("principle") and form.data.get(form.add_prefix("score"))
        }
        needs = publishing.missing_scores(rationale_by_principle, list(Principle.objects.all()))
        errors = [forms.ValidationError(publishing.sentence(needs), code="not_publishable")] if needs else []
        return errors + super().publishing_errors()


class SourceFormSet(PublishingRulesFormSet):
    def publishing_errors(self) -> list[forms.ValidationError]:
        needs = [] if self.kept_forms() else [publishing.NEEDS_SOURCE]
        errors = [forms.ValidationError(publishing.sentence(needs), code="not_publishable")] if needs else []
        return errors + super().publishing_errors()


class ScoreForm(forms.ModelForm):
    # Each row belongs to one fixed principle: shown, never chosen, so a case cannot score one principle twice.
    principle = forms.ModelChoiceField(queryset=Principle.objects.all(), disabled=True)

    class Meta:
        model = PrincipleScore
        fields = ["principle", "score", "rationale", "moderation_reason", "assessed_by", "assessed_on"]
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 2, "cols": 60}),
            "moderation_reason": forms.Textarea(attrs={"rows": 2, "cols": 40}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Assessor and date are filled in from the editor and today when left empty.
        self.fields["assessed_by"].required = False
        self.fields["assessed_on"].required = False


class PrincipleScoreInline(admin.TabularInline):
    formfield_overrides = TEXT_OVERRIDES
    model = PrincipleScore
    form = ScoreForm
    formset = ScoreFormSet
    can_delete = True
    max_num = 6
    min_num = 0
    verbose_name = "agreed score"
    verbose_name_plural = (
        "Agreed principle scores (this catalogue's own 0-3 assessment, moderated from the independent assessments)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("principle")

    def get_extra(self, request, obj=None, **kwargs):
        return len(missing_principles(obj))


def missing_principles(case: CaseStudy | None) -> list[Principle]:
    scored = set(case.scores.values_list("principle_id", flat=True)) if case and case.pk else set()
    return [p for p in Principle.objects.all() if p.pk not in scored]


class OutcomeFigureInline(admin.StackedInline):
    formfield_overrides = TEXT_OVERRIDES
    model = OutcomeFigure
    formset = PublishingRulesFormSet
    extra = 0
    fields = ["statement", "evidence_type", "source_title", "source_url", "position"]


class SourceInline(admin.TabularInline):
    formfield_overrides = TEXT_OVERRIDES
    model = Source
    formset = SourceFormSet
    extra = 0
    fields = ["title", "publisher", "year", "url", "position"]


@admin.register(CaseStudy)
class CaseStudyAdmin(ModerationFlags, SimpleHistoryAdmin):
    formfield_overrides = TEXT_OVERRIDES
    form = CaseStudyAdminForm
    inlines = [SiteInline, PrincipleScoreInline, AssessmentListInline, OutcomeFigureInline, SourceInline]
    list_display = [
        "title", "where", "status", "scores_given", *ModerationFlags.flag_columns, "last_reviewed", "updated_at",
    ]  # fmt: skip
    list_filter = [
        ModerationFilter,
        "status",
        "reach",
        ("sites__region", admin.RelatedOnlyFieldListFilter),
        "conditions",
        "approaches",
        "setting",
        "featured",
    ]
    search_fields = ["title", "summary", "lead_organisation", "place"]
    autocomplete_fields = ["conditions", "approaches"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "updated_at"
    readonly_fields = [
        "first_published_at", "created_at", "updated_at", "last_edited_by", "published_by", "record_assessment",
    ]  # fmt: skip
    actions = ["publish", "unpublish", "mark_reviewed_today", "download_pdf_booklet"]
    object_history_template = "admin/catalogue/casestudy/object_history.html"

    class Media:
        css = {"all": ["admin-catalogue/case-admin.css"]}

    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "featured", "summary"]}),
        ("The case", {"fields": ["context", "what_they_did", "sharing_power", "outcomes"]}),
        (
            "Who, where and when",
            {
                "fields": [
                    "lead_organisation", "partners", "place", "reach", "setting",
                    ("start_year", "end_year", "still_running"), "years_note", "serves", "website",
                ]
            },
        ),
        ("Classification", {"fields": ["conditions", "approaches"]}),
        ("Review", {"fields": ["last_reviewed", "first_published_at", "created_at", "updated_at"]}),
        ("Assessments and four eyes", {"fields": ["record_assessment", "last_edited_by", "published_by"]}),
        ("This change", {"fields": ["change_reason"]}),
    ]  # fmt: skip

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(score_count=Count("scores", distinct=True)).prefetch_related("sites")
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.editor = request.user  # a class made for this request (modelform_factory)
        return form

    @admin.display(description="Where")
    def where(self, obj: CaseStudy) -> str:
        return "; ".join(site.name for site in obj.sites.all()) or "No site yet"

    @admin.display(description="Scores given", ordering="score_count")
    def scores_given(self, obj: CaseStudy) -> str:
        return f"{obj.score_count} of 6"

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, PrincipleScoreInline):
            # Offer a row for every principle not yet scored, with its principle already set.
            kwargs["initial"] = [{"principle": p.pk} for p in missing_principles(obj)]
        return kwargs

    def save_model(self, request, obj, form, change):
        # Publishing waits until the scores, figures and sources are saved (save_related), so the rules are
        # checked on what is really stored.
        obj._publish_after_rows = obj.status == Status.PUBLISHED and form.initial.get("status") != Status.PUBLISHED
        if obj._publish_after_rows:
            obj.status = form.initial.get("status") or Status.DRAFT
        # simple-history reads the reason from the instance at each save, so every record this request makes of
        # the case (the save, publishing after the rows) carries it; an empty one stays empty (None), not "".
        obj._change_reason = form.cleaned_data.get("change_reason") or None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        case = form.instance
        if set(form.changed_data) - NOT_EDITS or any(formset.has_changed() for formset in formsets):
            services.record_edit(case, request.user)
        if getattr(case, "_publish_after_rows", False):
            try:
                services.publish(case, by=request.user)
            except services.CaseRefused as refused:
                self.message_user(request, f"“{case}”: {refused}", messages.ERROR)

    def save_formset(self, request, form, formset, change):
        for row_form in formset.forms:  # the scores, figures and sources saved (or deleted) with the case
            row_form.instance._change_reason = form.instance._change_reason
        if formset.model is PrincipleScore:
            for score_form in formset.forms:
                if score_form in formset.deleted_forms or not score_form.has_changed():
                    continue
                score, changed = score_form.instance, set(score_form.changed_data)
                if not changed & {"score", "rationale"} and score.assessed_by and score.assessed_on:
                    continue
                # A new or re-scored assessment is the editor's, made today, unless they said otherwise.
                if "assessed_by" not in changed or not score.assessed_by:
                    score.assessed_by = assessor_name(request.user)
                if "assessed_on" not in changed or not score.assessed_on:
                    score.assessed_on = timezone.localdate()
        super().save_formset(request, form, formset, change)

    @admin.action(description="Publish the selected case studies", permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for case in queryset.prefetch_related("scores"):
            was_published = case.is_published
            try:
                services.publish(case, by=request.user)
            except services.CaseRefused as refused:
                self.message_user(request, f"“{case}”: {refused}", messages.ERROR)
                continue
            published += not was_published
        if published:
            self.message_user(
                request,
                ngettext("%d case study published.", "%d case studies published.", published) % published,
                messages.SUCCESS,
            )

    @admin.action(description="Unpublish the selected case studies (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = sum(services.unpublish(case) for case in queryset.filter(status=Status.PUBLISHED))
        self.message_user(
            request, ngettext("%d case study unpublished.", "%d case studies unpublished.", count) % count
        )

    @admin.action(description="Mark the selected case studies as reviewed today", permissions=["change"])
    def mark_reviewed_today(self, request, queryset):
        count = 0
        for case in queryset:
            services.mark_reviewed(case)
            count += 1
        self.message_user(
            request, ngettext("%d case study marked reviewed.", "%d case studies marked reviewed.", count) % count
        )

    @admin.action(description="Download the selected case studies as one PDF (drafts marked)", permissions=["view"])
    def download_pdf_booklet(self, request, queryset):
        if queryset.count() > documents.MAX_BOOKLET_CASES:
            limit = documents.MAX_BOOKLET_CASES
            self.message_user(request, f"A PDF holds at most {limit} case studies: select fewer.", messages.ERROR)
            return None
        cases = list(queryset.prefetch_related(None).with_everything().order_by("title", "pk"))
        return selection_booklet(request, cases, chosen_by=assessor_name(request.user))

    def get_urls(self):
        return CaseImportViews(self).urls() + super().get_urls()

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Nothing: the page shows the timeline's diffs (history.py), not simple-history's shortened ones."""

    def history_view(self, request, object_id, extra_context=None):
        """One timeline: the case's own history with that of its scores, outcome figures, sources and sites."""
        try:
            case_id = int(unquote(object_id))
        except ValueError:
            raise Http404("No such case study.") from None
        extra_context = {**(extra_context or {}), "timeline": case_timeline(case_id)}
        return super().history_view(request, object_id, extra_context=extra_context)
