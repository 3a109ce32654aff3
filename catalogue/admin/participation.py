"""The editors' queue in admin: suggested cases and error reports from visitors (replies to scores are queued
in assessments.py, with their own statuses), each with its status, who handled it and when, filterable, with
its history; and the count of waiting items on the admin index.

What a visitor wrote is shown read-only and inert: addresses as text, never as links, until an editor has
looked at them and carried them into a case. Editors act on items with actions: in progress, turn a suggestion
into a draft case (drafts.py, through services.write_case), ask for more or decline with a reason (a page that
asks for the note), done; and, for a person's request, export or erase the data held under the e-mail
addresses of the selected items (personal.py).
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..choices import QueueStatus
from ..models import ErrorReport, Suggestion
from ..models.participation import NEEDS_NOTE
from ..participation import drafts, personal, queue

admin.site.index_template = "participation/admin_index.html"

QUEUE_FIELDS = ["reference", "submitted_at", "status", "editor_note", "handled_by", "handled_at"]


class QueueForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") in NEEDS_NOTE and not (cleaned.get("editor_note") or "").strip():
            self.add_error("editor_note", "Say why it is declined, or what more is asked for.")
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(label="Reason or request", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))


class QueueAdmin(SimpleHistoryAdmin):
    form = QueueForm
    list_filter = ["status", ("handled_by", admin.RelatedOnlyFieldListFilter), "submitted_at"]
    list_select_related = ["handled_by"]
    date_hierarchy = "submitted_at"
    actions = ["mark_in_progress", "ask_for_more", "decline", "mark_done", "export_personal_data",
               "erase_personal_data"]  # fmt: skip
    list_per_page = 50

    def has_add_permission(self, request):
        return False  # items come from visitors' forms only

    def get_readonly_fields(self, request, obj=None):
        return [name for name in self.get_fields(request, obj) if name not in {"status", "editor_note"}]

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data or "editor_note" in form.changed_data:
            told = queue.handle(obj, obj.status, request.user, save=False)
            if told:
                self.message_user(request, f"The sender of {obj.reference} was told by e-mail.", messages.INFO)
        super().save_model(request, obj, form, change)

    @admin.display(description="Website")
    def website_text(self, obj) -> str:
        return inert(obj.website)

    def _set_all(self, request, queryset, status: str, note: str | None = None) -> None:
        told = 0
        for item in queryset:
            told += queue.handle(item, status, request.user, note)
        label = QueueStatus(status).label.lower()
        count = len(queryset)
        self.message_user(request, f"{count} item{'s' if count != 1 else ''} marked “{label}”"
                          + (f"; {told} sender{'s' if told != 1 else ''} told by e-mail." if told else "."),
                          messages.SUCCESS)  # fmt: skip

    @admin.action(description="Mark the selected items in progress", permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._set_all(request, queryset, QueueStatus.IN_PROGRESS)

    @admin.action(description="Mark the selected items done", permissions=["change"])
    def mark_done(self, request, queryset):
        self._set_all(request, queryset, QueueStatus.DONE)

    @admin.action(description="Ask the senders of the selected items for more…", permissions=["change"])
    def ask_for_more(self, request, queryset):
        return self._with_note(request, queryset, QueueStatus.MORE_ASKED, "ask_for_more")

    @admin.action(description="Decline the selected items with a reason…", permissions=["change"])
    def decline(self, request, queryset):
        return self._with_note(request, queryset, QueueStatus.DECLINED, "decline")

    def _with_note(self, request, queryset, status: str, action: str):
        """Ask for the note on a page of its own (Django's pattern for an action with a confirmation), then
        apply it to every selected item."""
        form = NoteForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._set_all(request, queryset, status, form.cleaned_data["note"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Decline with a reason" if status == QueueStatus.DECLINED else "Ask for more",
            "items": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "participation/admin_note.html", context)

    @admin.action(description="Export the data held for the selected items' e-mail addresses (JSON)",
                  permissions=["view"])  # fmt: skip
    def export_personal_data(self, request, queryset):
        emails = {item.email for item in queryset if item.email}
        if not emails:
            self.message_user(request, "None of the selected items has an e-mail address.", messages.WARNING)
            return None
        data = {"e-mail addresses": sorted(emails), "exported at": timezone.now().isoformat(),
                "held": personal.held_for(emails)}  # fmt: skip
        response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    @admin.action(description="Erase the personal data held for the selected items' e-mail addresses",
                  permissions=["change"])  # fmt: skip
    def erase_personal_data(self, request, queryset):
        emails = {item.email for item in queryset if item.email}
        changed = personal.erase(emails)
        addresses = f"{len(emails)} address{'es' if len(emails) != 1 else ''}"
        items = f"{changed} item{'s' if changed != 1 else ''}"
        self.message_user(request, f"Personal data erased from {items} held for {addresses}.", messages.SUCCESS)


def inert(value: str) -> str:
    """An address a visitor gave, as text that no one can click (<code>), one per line."""
    lines = [line for line in (value or "").splitlines() if line.strip()]
    return format_html_join("", "<code>{}</code><br>", ((line,) for line in lines)) or "none"


@admin.register(Suggestion)
class SuggestionAdmin(QueueAdmin):
    list_display = ["reference", "name", "organisation", "status", "submitted_at", "handled_by", "handled_at",
                    "draft"]  # fmt: skip
    search_fields = ["reference", "name", "organisation", "place", "email"]
    fields = [*QUEUE_FIELDS, "draft", "name", "organisation", "place", "setting", "website_text", "what_it_does",
              "sharing_power", "sources_text", "relation", "email"]  # fmt: skip
    actions = ["make_draft", *QueueAdmin.actions]

    @admin.display(description="Sources")
    def sources_text(self, obj) -> str:
        return inert(obj.sources)

    @admin.display(description="Draft case")
    def draft(self, obj) -> str:
        if obj.case_id is None:
            return "none"
        return format_html('<a href="{}">{}</a>', reverse("admin:catalogue_casestudy_change", args=[obj.case_id]),
                           obj.case)  # fmt: skip

    @admin.action(description="Turn the selected suggestions into draft cases", permissions=["change"])
    def make_draft(self, request, queryset):
        for suggestion in queryset:
            try:
                case = drafts.make_draft(suggestion, request.user)
            except (services.CaseRefused, ValueError) as refusal:
                self.message_user(request, f"{suggestion.reference}: {refusal}", messages.ERROR)
                continue
            url = reverse("admin:catalogue_casestudy_change", args=[case.pk])
            self.message_user(request, format_html(
                '{} is now the draft case <a href="{}">{}</a>{}.', suggestion.reference, url, case.title,
                "" if suggestion.setting else " (check its care setting: none was given)",
            ), messages.SUCCESS)  # fmt: skip


@admin.register(ErrorReport)
class ErrorReportAdmin(QueueAdmin):
    list_display = ["reference", "case", "part", "status", "submitted_at", "handled_by", "handled_at"]
    list_filter = [*QueueAdmin.list_filter, "part"]
    list_select_related = ["handled_by", "case"]
    search_fields = ["reference", "case__title", "email"]
    fields = [*QUEUE_FIELDS, "case_link", "part", "what_is_wrong", "evidence", "email", "corrected_on", "correction"]

    @admin.display(description="Case")
    def case_link(self, obj) -> str:
        return format_html('<a href="{}">{}</a> (<a href="{}">its public page</a>)',
                           reverse("admin:catalogue_casestudy_change", args=[obj.case_id]), obj.case,
                           obj.case_url())  # fmt: skip
