"""A case's sites in admin: one row each, checked against the case's reach (places/reach.py) as the database's
triggers would check them, so the editor sees the rule in words instead of a refused save."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from .. import publishing
from ..models import Site
from ..places import reach as reach_rules
from .rowforms import PublishingRulesFormSet


class SiteFormSet(PublishingRulesFormSet):
    def clean(self):
        kept = self.kept_forms()
        kinds = [form.cleaned_data["region"].kind for form in kept if form.cleaned_data.get("region")]
        problems = reach_rules.contradictions(self.instance.reach, kinds)
        if problems:
            raise forms.ValidationError(problems, code="reach")
        super().clean()

    def publishing_errors(self) -> list[forms.ValidationError]:
        kinds = [form.cleaned_data["region"].kind for form in self.kept_forms() if form.cleaned_data.get("region")]
        needs = publishing.sites_needed(self.instance.reach, kinds)
        errors = [forms.ValidationError(publishing.sentence(needs), code="not_publishable")] if needs else []
        return errors + super().publishing_errors()


class SiteInline(admin.TabularInline):
    model = Site
    formset = SiteFormSet
    extra = 0
    fields = ["name", "region", "position"]
    autocomplete_fields = ["region"]
    verbose_name_plural = "Sites (where it runs: a local authority, English region, nation or country each)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region")
