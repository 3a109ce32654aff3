"""Importing case studies in admin: upload a CSV, see every problem or what would change, then confirm.

The same import as `manage.py import_case_studies` (opendata/importing.py). Between preview and confirm the file is
kept in the editor's session; on confirm it is checked again, because the catalogue may have changed.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from ..opendata import importing
from .editors import assessor_name

SESSION_KEY = "catalogue_case_import"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="In the format of the catalogue's CSV export (UTF-8). At most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    publish = forms.BooleanField(
        required=False,
        label="Publish every case in the file",
        help_text=(
            "Otherwise new cases are created as drafts. Each published case must meet the publishing rules, and "
            "four eyes: you cannot publish a case you change in this file or were the last to change."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB. Split it, or use manage.py import_case_studies.")
        return upload


class CaseImportViews:
    """The upload/preview and confirm views, bound to the CaseStudyAdmin that serves them."""

    def __init__(self, model_admin: admin.ModelAdmin):
        self.model_admin = model_admin
        self.opts = model_admin.model._meta

    def urls(self) -> list:
        site = self.model_admin.admin_site
        return [
            path("import/", site.admin_view(self.upload), name="catalogue_casestudy_import"),
            path("import/confirm/", site.admin_view(self.confirm), name="catalogue_casestudy_import_confirm"),
        ]

    def check_permission(self, request: HttpRequest) -> None:
        if not (self.model_admin.has_add_permission(request) and self.model_admin.has_change_permission(request)):
            raise PermissionDenied

    def render(self, request: HttpRequest, context: dict, status: int = 200) -> TemplateResponse:
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import case studies from CSV",
            "data_url": reverse("catalogue:data"),
            **context,
        }
        return TemplateResponse(request, "admin/catalogue/casestudy/import.html", context, status=status)

    def upload(self, request: HttpRequest) -> HttpResponse:
        self.check_permission(request)
        if request.method != "POST":
            request.session.pop(SESSION_KEY, None)
            return self.render(request, {"form": ImportForm()})
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, {"form": form}, status=400)
        data = form.cleaned_data["file"].read()
        publish = form.cleaned_data["publish"]
        plan = importing.read(data, publish=publish, by=request.user)
        context = {"form": form, "plan": plan, "file_name": form.cleaned_data["file"].name}
        if plan.is_valid:
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {
                "token": token,
                "text": data.decode("utf-8-sig"),
                "publish": publish,
                "name": form.cleaned_data["file"].name,
            }
            context["token"] = token
        else:
            request.session.pop(SESSION_KEY, None)
        return self.render(request, context)

    @staticmethod
    def _stored(request: HttpRequest) -> dict | None:
        stored = request.session.get(SESSION_KEY)
        if not stored or not secrets.compare_digest(str(stored.get("token")), request.POST.get("token", "")):
            return None
        return stored

    def confirm(self, request: HttpRequest) -> HttpResponse:
        self.check_permission(request)
        return require_POST(self._confirm)(request)

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        stored = self._stored(request)
        if stored is None:
            messages.error(request, "That import is no longer waiting to be confirmed. Please upload the file again.")
            return HttpResponseRedirect(reverse("admin:catalogue_casestudy_import"))
        plan = importing.read(stored["text"].encode("utf-8"), publish=stored["publish"], by=request.user)
        try:
            result = importing.apply(plan, assessor=assessor_name(request.user), by=request.user)
        except importing.ImportRefused as exc:
            plan.problems = exc.problems
            request.session.pop(SESSION_KEY, None)
            return self.render(
                request, {"form": ImportForm(), "plan": plan, "file_name": stored["name"], "changed_since": True}, 409
            )
        request.session.pop(SESSION_KEY, None)
        messages.success(request, f"Imported {stored['name']}. {result}")
        return HttpResponseRedirect(reverse("admin:catalogue_casestudy_changelist"))
