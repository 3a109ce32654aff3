"""The six principles: what each means, what each score level looks like, and how the catalogue's cases spread."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from principles.models import Principle, Score

from ..caching import cached_page
from ..explore.insights import level_counts, score_spread
from ..models import CaseStudy

STRONGEST_SHOWN = 12


@cached_page("principle-list")
def principle_list(request: HttpRequest) -> HttpResponse:
    principles = list(Principle.objects.all())
    return render(
        request,
        "catalogue/principle_list.html",
        {"principles": principles, "spread": score_spread(principles, level_counts(principles))},
    )


@cached_page("principle-detail")
def principle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    principles = list(Principle.objects.all())  # six rows: also gives the previous and next principle
    index = next((i for i, p in enumerate(principles) if p.slug == slug), None)
    if index is None:
        raise Http404("No principle has that address.")
    principle = principles[index]
    spread = score_spread([principle], level_counts([principle]))[0]
    # The strongest cases: those at the highest level any case reaches (Defining feature, when any does).
    top = next((level for level in reversed(Score) if level > 0 and spread.counts[level] > 0), None)
    strongest = []
    if top is not None:
        strongest = list(
            CaseStudy.objects.published().strong_on(principle.number, top).order_by("title")[:STRONGEST_SHOWN]
        )
    list_url = reverse("catalogue:case-list")
    return render(
        request,
        "catalogue/principle_detail.html",
        {
            "principle": principle,
            "spread": spread,
            "top": top,
            "strongest": strongest,
            "strongest_total": spread.counts[top] if top is not None else 0,
            "strongest_url": f"{list_url}?{urlencode({'principle': slug, 'min_score': int(top)})}" if top else "",
            "previous": principles[index - 1] if index > 0 else None,
            "next": principles[index + 1] if index + 1 < len(principles) else None,
        },
    )
