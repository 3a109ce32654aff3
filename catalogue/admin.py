"""Editing the catalogue in Django admin.

A case is edited on one page: its fields, its six principle scores (one row per principle, always all six
offered), outcome figures and sources. Publishing is refused, with the reasons in plain words, until the case
meets the rules in `publishing.py`.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from principles.models import Principle, PrincipleScore

from . import pdf, publishing, views_pdf
from .models import Approach, CaseStudy, Condition, OutcomeFigure, Region, Source, Status


def assessor_name(user) -> str:
    return user.get_full_name() or user.get_username()


class CaseStudyAdminForm(forms.ModelForm):
    class Meta:
        model = CaseStudy
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Status.PUBLISHED:
            needs = []
            if not (cleaned.get("summary") or "").strip():
                needs.append(publishing.NEEDS_SUMMARY)
            if not cleaned.get("region"):
                needs.append(publishing.NEEDS_REGION)
            if not cleaned.get("conditions"):
                needs.append(publishing.NEEDS_CONDITION)
            if needs:
                raise forms.ValidationError(publishing.sentence(needs), code="not_publishable")
        return cleaned


class PublishingRulesFormSet(BaseInlineFormSet):
    """An inline formset that knows whether the case is being published (from the main form's data)."""

    def kept_forms(self):
        """The rows that will be stored: changed or existing, and not marked for deletion."""
        return [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]

    @property
    def publishing(self) -> bool:
        return self.instance.status == Status.PUBLISHED


class ScoreFormSet(PublishingRulesFormSet):
    def clean(self):
        super().clean()
        if not self.publishing:
            return
        # Rows with their own errors (a score without a rationale, say) still count as scored here, so the
        # editor sees every reason at once.
        rationale_by_principle = {
            form.cleaned_data["principle"].pk: form.cleaned_data.get("rationale", "")
            for form in self.kept_forms()
            if form.cleaned_data.get("principle") and form.data.get(form.add_prefix("score"))
        }
        needs = publishing.missing_scores(rationale_by_principle, list(Principle.objects.all()))
        if needs:
            raise forms.ValidationError(publishing.sentence(needs), code="not_publishable")


class SourceFormSet(PublishingRulesFormSet):
    def clean(self):
        super().clean()
        if self.publishing and not self.kept_forms():
            raise forms.ValidationError(publishing.sentence([publishing.NEEDS_SOURCE]), code="not_publishable")


class ScoreForm(forms.ModelForm):
    # Each row belongs to one fixed principle: shown, never chosen, so a case cannot score one principle twice.
    principle = forms.ModelChoiceField(queryset=Principle.objects.all(), disabled=True)

    class Meta:
        model = PrincipleScore
        fields = ["principle", "score", "rationale", "assessed_by", "assessed_on"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 2, "cols": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Assessor and date are filled in from the editor and today when left empty.
        self.fields["assessed_by"].required = False
        self.fields["assessed_on"].required = False


class PrincipleScoreInline(admin.TabularInline):
    model = PrincipleScore
    form = ScoreForm
    formset = ScoreFormSet
    can_delete = True
    max_num = 6
    min_num = 0
    verbose_name = "principle score"
    verbose_name_plural = "Principle scores (this catalogue's own 0-3 assessment)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("principle")

    def get_extra(self, request, obj=None, **kwargs):
        return len(missing_principles(obj))


def missing_principles(case: CaseStudy | None) -> list[Principle]:
    scored = set(case.scores.values_list("principle_id", flat=True)) if case and case.pk else set()
    return [p for p in Principle.objects.all() if p.pk not in scored]


class OutcomeFigureInline(admin.StackedInline):
    model = OutcomeFigure
    extra = 0
    fields = ["statement", "evidence_type", "source_title", "source_url", "position"]


class SourceInline(admin.TabularInline):
    model = Source
    formset = SourceFormSet
    extra = 0
    fields = ["title", "publisher", "year", "url", "position"]


@admin.register(CaseStudy)
class CaseStudyAdmin(SimpleHistoryAdmin):
    form = CaseStudyAdminForm
    inlines = [PrincipleScoreInline, OutcomeFigureInline, SourceInline]
    list_display = ["title", "region", "status", "scores_given", "last_reviewed", "updated_at"]
    list_filter = ["status", "region", "conditions", "approaches", "setting", "featured"]
    list_select_related = ["region"]
    search_fields = ["title", "summary", "lead_organisation", "place"]
    autocomplete_fields = ["conditions", "approaches", "region"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "updated_at"
    readonly_fields = ["first_published_at", "created_at", "updated_at"]
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
                    "lead_organisation", "partners", "place", "region", "setting",
                    ("start_year", "end_year", "still_running"), "years_note", "serves", "website",
                ]
            },
        ),
        ("Classification", {"fields": ["conditions", "approaches"]}),
        ("Review", {"fields": ["last_reviewed", "first_published_at", "created_at", "updated_at"]}),
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(score_count=Count("scores", distinct=True))

    @admin.display(description="Scores given", ordering="score_count")
    def scores_given(self, obj: CaseStudy) -> str:
        return f"{obj.score_count} of 6"

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, PrincipleScoreInline):
            # Offer a row for every principle not yet scored, with its principle already set.
            kwargs["initial"] = [{"principle": p.pk} for p in missing_principles(obj)]
        return kwargs

    def save_formset(self, request, form, formset, change):
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
            needs = case.publishing_problems()
            if needs:
                self.message_user(request, f"“{case}”: {publishing.sentence(needs)}", messages.ERROR)
                continue
            if case.status != Status.PUBLISHED:
                case.status = Status.PUBLISHED
                case.save()
                published += 1
        if published:
            self.message_user(
                request,
                ngettext("%d case study published.", "%d case studies published.", published) % published,
                messages.SUCCESS,
            )

    @admin.action(description="Unpublish the selected case studies (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = 0
        for case in queryset.filter(status=Status.PUBLISHED):
            case.status = Status.DRAFT
            case.save()  # one save each, so the change history records who unpublished what
            count += 1
        self.message_user(
            request, ngettext("%d case study unpublished.", "%d case studies unpublished.", count) % count
        )

    @admin.action(description="Mark the selected case studies as reviewed today", permissions=["change"])
    def mark_reviewed_today(self, request, queryset):
        today = timezone.localdate()
        count = 0
        for case in queryset:
            case.last_reviewed = today
            case.save()
            count += 1
        self.message_user(
            request, ngettext("%d case study marked reviewed.", "%d case studies marked reviewed.", count) % count
        )

    @admin.action(description="Download the selected case studies as one PDF (drafts marked)", permissions=["view"])
    def download_pdf_booklet(self, request, queryset):
        if queryset.count() > pdf.MAX_BOOKLET_CASES:
            self.message_user(
                request, f"A PDF holds at most {pdf.MAX_BOOKLET_CASES} case studies: select fewer.", messages.ERROR
            )
            return None
        cases = list(pdf.for_pdf(queryset.order_by("title", "pk")))
        return views_pdf.selection_booklet(request, cases, chosen_by=assessor_name(request.user))

    def get_urls(self):
        from .admin_import import CaseImportViews  # upload, preview and confirm a CSV import

        return CaseImportViews(self).urls() + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        """The case's own history, plus the history of its scores, outcome figures and sources."""
        extra_context = {**(extra_context or {}), "related_changes": related_history(object_id)}
        return super().history_view(request, object_id, extra_context=extra_context)


def related_history(case_id) -> list[dict]:
    """Each change to a case's scores, figures and sources: who, when, what kind, and which fields changed."""
    rows = []
    for model, describe in [
        (PrincipleScore, lambda r: f"Score for {r.principle.short_name}" if r.principle_id else "Score"),
        (OutcomeFigure, lambda r: "Outcome figure"),
        (Source, lambda r: "Source"),
    ]:
        history = model.history.filter(case_study_id=case_id).select_related("history_user")
        if model is PrincipleScore:
            history = history.select_related("principle")
        for record in history.order_by("history_date"):
            changes = []
            previous = record.prev_record
            if record.history_type == "~" and previous is not None:
                delta = record.diff_against(previous)
                changes = [(c.field, c.old, c.new) for c in delta.changes]
            rows.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "what": describe(record),
                    "action": record.get_history_type_display(),
                    "changes": changes,
                    "summary": str(record.instance),
                }
            )
    rows.sort(key=lambda row: row["date"], reverse=True)
    return rows


class TaxonomyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "published_cases"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count("case_studies", distinct=True))

    @admin.display(description="Case studies", ordering="case_count")
    def published_cases(self, obj) -> int:
        return obj.case_count


@admin.register(Condition)
class ConditionAdmin(TaxonomyAdmin):
    pass


@admin.register(Approach)
class ApproachAdmin(TaxonomyAdmin):
    pass


@admin.register(Region)
class RegionAdmin(TaxonomyAdmin):
    list_display = ["name", "kind", "code", "parent", "published_cases"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "code"]
