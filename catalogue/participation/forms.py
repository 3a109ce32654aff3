"""The three public forms. Each field has a limit, each text field refuses markup (abuse.py) and each address
must be http(s); every form carries the honeypot and the signed time it was shown, checked in clean()."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator

from ..models import ErrorReport, ScoreReply, Suggestion
from ..models.participation import LONG_TEXT
from . import abuse

MAX_SOURCES = 20


class PublicForm(forms.ModelForm):
    """A ModelForm with the defences every public form shares. The honeypot is named like a field people might
    have (so programs fill it) and hidden by the stylesheet (templates/participation/_trap.html)."""

    started = forms.CharField(widget=forms.HiddenInput)
    fax = forms.CharField(
        label="Fax number (leave this empty)", required=False, max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = abuse.started_token()
        for name, field in self.fields.items():
            if name in {"started", "fax"}:
                continue
            if isinstance(field, forms.URLField):
                # Django's own URLValidator allows ftp: replaced, not joined, so one message is shown.
                field.validators = [v for v in field.validators if not isinstance(v, URLValidator)]
                field.validators.append(abuse.http_address)
                field.error_messages["invalid"] = abuse.NOT_HTTP  # Django's own "Enter a valid URL." says less
            elif isinstance(field, forms.CharField):
                field.validators.append(abuse.refuse_markup)
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(rows=6, cols=60)
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "field__select"
            elif not isinstance(field.widget, forms.RadioSelect | forms.HiddenInput):
                field.widget.attrs["class"] = "field__input"

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("fax"):
            raise forms.ValidationError(abuse.TRAP_FILLED, code="trap")
        problem = abuse.fill_time_problem(self.data.get("started", ""))
        if problem:
            # A fresh time, so the form shown again can be sent once the person has looked at it.
            self.data = self.data.copy()
            self.data["started"] = abuse.started_token()
            raise forms.ValidationError(problem, code="time")
        return cleaned

    @property
    def visible_fields_but_trap(self):
        return [field for field in self.visible_fields() if field.name != "fax"]


class SuggestionForm(PublicForm):
    class Meta:
        model = Suggestion
        fields = ["name", "organisation", "place", "setting", "website", "what_it_does", "sharing_power", "sources",
                  "relation", "email"]  # fmt: skip
        labels = {"what_it_does": "What it does", "sharing_power": "How people share power", "email": "E-mail address"}
        help_texts = {
            "name": "The name the project or service goes by.",
            "place": "Town, city or area, as a person would say it.",
            "setting": "Optional.",
            "website": "Optional. An address starting with https:// or http://.",
            "what_it_does": f"In your own words: who it is for and what happens. At most {LONG_TEXT} characters.",
            "sharing_power": "Optional. How the people who use it shape and run it alongside the professionals.",
            "sources": f"Optional. Web addresses of reports, evaluations or articles, one per line (at most "
            f"{MAX_SOURCES}).",
            "relation": "Optional. Your own relation to it.",
            "email": "Optional. Only if you are happy for an editor to write to you about it; deleted after a "
            "stated period (see the privacy notice).",
        }
        widgets = {"setting": forms.Select, "relation": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, empty in [("setting", "Not sure"), ("relation", "Prefer not to say")]:
            self.fields[name].choices = [("", empty), *self.fields[name].choices[1:]]

    def clean_sources(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["sources"].splitlines() if line.strip()]
        if len(lines) > MAX_SOURCES:
            raise forms.ValidationError(f"Give at most {MAX_SOURCES} addresses.", code="too_many")
        for number, line in enumerate(lines, start=1):
            try:
                abuse.http_address(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"Line {number} is not a web address: {abuse.NOT_HTTP}", code="not_http"
                ) from None
        return "\n".join(lines)


class ErrorReportForm(PublicForm):
    class Meta:
        model = ErrorReport
        fields = ["part", "what_is_wrong", "evidence", "email"]
        labels = {"what_is_wrong": "What is wrong", "email": "E-mail address"}
        help_texts = {
            "what_is_wrong": "What the page says, and what it should say.",
            "evidence": "Optional. How you know: a web address, a report, your own role.",
            "email": "Optional. Only if you are happy for an editor to write to you about it.",
        }
        widgets = {"part": forms.RadioSelect}


class ReplyForm(PublicForm):
    class Meta:
        model = ScoreReply
        fields = ["written_by", "text"]
        labels = {"written_by": "Who is replying", "text": "Your reply to the scores"}
        help_texts = {
            "written_by": "Shown with the reply, as you want it: a role and the organisation, for example "
            "“Service manager, Rushey Green Time Bank”.",
            "text": "Shown beside the scores once an editor approves it, dated. At most 4000 characters.",
        }
