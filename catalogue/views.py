"""Public pages of the catalogue. Views are thin: queries live on the QuerySets."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from principles.models import Principle

from .models import CaseStudy


def home(request: HttpRequest) -> HttpResponse:
    published = CaseStudy.objects.published()
    return render(
        request,
        "catalogue/home.html",
        {
            "principles": Principle.objects.all(),
            "featured": published.filter(featured=True).for_listing(),
            "case_count": published.count(),
        },
    )


def case_list(request: HttpRequest) -> HttpResponse:
    cases = CaseStudy.objects.published().for_listing()
    return render(request, "catalogue/casestudy_list.html", {"cases": cases})


def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(
        CaseStudy.objects.visible_to(request.user)
        .select_related("region")
        .prefetch_related("conditions", "approaches", "outcome_figures", "sources")
        .with_scores(),
        slug=slug,
    )
    return render(request, "catalogue/casestudy_detail.html", {"case": case})
