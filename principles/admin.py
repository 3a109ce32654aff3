from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Principle


@admin.register(Principle)
class PrincipleAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "short_name", "nef_label"]
    list_display_links = ["name"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["number", "name", "short_name", "slug", "nef_label", "description"]}),
        ("What each score level looks like", {"fields": ["level_0", "level_1", "level_2", "level_3"]}),
    ]
