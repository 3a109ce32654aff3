"""Text fields in admin forms store text as every writer does (catalogue/text.py): a browser posts each textarea
with "\\r\\n" line endings, so without this an unchanged text looked changed (in the history, and to the score
rows, which then took a new assessor and date)."""

from __future__ import annotations

from django import forms
from django.db import models

from ..text import normalise_text


class NormalisedTextField(forms.CharField):
    """A textarea's text with "\\n" line endings, trimmed. Because `to_python` normalises, `has_changed` compares
    what would be stored, so a form posted back unchanged has no changed fields."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_text(value) if isinstance(value, str) else value


# For ModelAdmin.formfield_overrides (case and inline admins alike): only TextField, because CharField's
# subclasses (URLField, SlugField) carry their own form fields, and an input of one line never holds "\r\n".
TEXT_OVERRIDES = {models.TextField: {"form_class": NormalisedTextField}}
