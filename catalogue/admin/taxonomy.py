"""Editing the taxonomies: conditions, approaches and the areas sites are in."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from ..models import Approach, Condition, Region


class TaxonomyAdmin(SimpleHistoryAdmin):
    cases_path = "case_studies"
    list_display = ["name", "slug", "published_cases"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count(self.cases_path, distinct=True))

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
    cases_path = "sites__case_study"
    list_display = ["name", "kind", "code", "parent", "published_cases"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "code"]
