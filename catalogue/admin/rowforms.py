"""The inline formsets of a case's rows know whether the case is being published, so each can say in words what
its rows still lack for publishing, and enforce four eyes on them."""

from __future__ import annotations

from django import forms
from django.forms.models import BaseInlineFormSet

from .. import publishing
from ..choices import Status
from ..models import CaseStudy


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

    def clean(self):
        super().clean()
        errors = self.publishing_errors() if self.publishing else []
        if errors:
            raise forms.ValidationError(errors)

    def publishing_errors(self) -> list[forms.ValidationError]:
        """Why these rows stop the case being published. Four eyes: whoever changes them cannot publish the case
        in the same save (the main form says so of the case's own fields)."""
        stored = CaseStudy.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
        if stored != Status.PUBLISHED and self.has_changed():
            return [forms.ValidationError(publishing.SECOND_EDITOR_SAME_SAVE, code="second_editor")]
        return []
