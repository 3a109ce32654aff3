"""TEMPORARY stand-ins for /assessments/ and /assessments/rubric/<n>/ until the branch that builds those pages is
merged (its real views and URL patterns replace these two and this module is deleted then). They exist only so
the case page's links resolve in this branch: each sends the visitor to the about page's section on scoring."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from principles.models import RubricVersion


def assessments(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("catalogue:about") + "#scoring")


def rubric_version(request: HttpRequest, number: int) -> HttpResponseRedirect:
    get_object_or_404(RubricVersion, number=number)
    return HttpResponseRedirect(reverse("catalogue:about") + "#scoring")
